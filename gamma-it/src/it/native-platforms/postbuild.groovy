// Each platform's tree holds that platform's libtorch CPU jar and no other; Intel macOS (no jar on Maven Central) none.
def classifiers = ['linux-x86_64', 'linux-aarch64', 'osx-aarch64', 'win-x86_64']
def summary = new StringBuilder()
(classifiers + ['osx-x86_64']).each { platform ->
    def tree = new File(basedir, "tree-${platform}.txt").text
    assert tree.contains('org.gammaiqa:gamma-core:jar:') : "gamma-core missing from the ${platform} tree:\n${tree}"
    classifiers.each { c ->
        def found = tree.contains("ai.djl.pytorch:pytorch-native-cpu:jar:${c}:2.7.1:compile")
        assert found == (c == platform) : "${platform}: pytorch-native-cpu ${c} ${found ? 'present' : 'missing'}:\n${tree}"
    }
    summary << "${platform}: " << (tree.readLines().find { it.contains('pytorch-native-cpu') }?.trim() ?: 'no native jar') << '\n'
}
new File(basedir, 'native-jars.txt').text = summary.toString()
return true
