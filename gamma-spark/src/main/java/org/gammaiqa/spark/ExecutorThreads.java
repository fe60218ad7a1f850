package org.gammaiqa.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * libtorch intra-op threads for one task: an executor's cores divided by the tasks it runs at once
 * ({@code spark.executor.cores ÷ spark.task.cpus}), so concurrent forward passes fill the cores
 * without oversubscribing them.
 */
final class ExecutorThreads {
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\s*\\d+)?]");

    private ExecutorThreads() {}

    /**
     * @param conf                the application's configuration
     * @param availableProcessors cores of this JVM, used for {@code local[*]} and when the executor's cores are not set
     */
    static int perTask(SparkConf conf, int availableProcessors) {
        int cores = executorCores(conf, availableProcessors);
        int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        int concurrentTasks = Math.max(1, cores / taskCpus);
        return Math.max(1, cores / concurrentTasks);
    }

    private static int executorCores(SparkConf conf, int availableProcessors) {
        if (conf.contains("spark.executor.cores")) {
            return Math.max(1, conf.getInt("spark.executor.cores", 1));
        }
        String master = conf.get("spark.master", "");
        if (master.equals("local")) {
            return 1;
        }
        Matcher m = LOCAL.matcher(master);
        if (m.matches() && !m.group(1).equals("*")) {
            return Integer.parseInt(m.group(1));
        }
        return Math.max(1, availableProcessors);
    }
}
