# How the gamma JVM is started, in one place: sourced by the checkout's ./gamma and by the distribution's bin/gamma
# (which ships this file as lib/gamma-launch.sh), so both run with the same environment and Java options.
# gamma_exec CLASSPATH ARGS... replaces the shell with the gamma command line.
# Java: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH. Extra Java options: GAMMA_JAVA_OPTS (e.g. -Xmx8g).
gamma_exec() {
  local classpath="$1"
  shift
  # glibc keeps freed activation blocks for the next forward pass instead of unmapping them and faulting them in
  # again each time (docs/PERFORMANCE.md: the kernel's share of CPU time); values set in the environment win.
  export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-268435456} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-1073741824}
  export MALLOC_TOP_PAD_=${MALLOC_TOP_PAD_:-67108864} MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  # shellcheck disable=SC2086 # GAMMA_JAVA_OPTS holds several options, split on spaces
  exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${GAMMA_JAVA_OPTS:-} -Dai.djl.offline=true -cp "$classpath" \
    org.gammaiqa.cli.GammaCli "$@"
}
