package org.gammaiqa.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class ExecutorThreadsTest {
    private static SparkConf conf(String... keyValues) {
        SparkConf conf = new SparkConf(false);
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.set(keyValues[i], keyValues[i + 1]);
        }
        return conf;
    }

    @Test
    void localModeSplitsItsThreadsBetweenConcurrentTasks() {
        assertThat(ExecutorThreads.perTask(conf("spark.master", "local[2]"), 16)).isEqualTo(1);
        assertThat(ExecutorThreads.perTask(conf("spark.master", "local[8]", "spark.task.cpus", "4"), 16)).isEqualTo(4);
        assertThat(ExecutorThreads.perTask(conf("spark.master", "local[*]", "spark.task.cpus", "2"), 16)).isEqualTo(2);
        assertThat(ExecutorThreads.perTask(conf("spark.master", "local"), 16)).isEqualTo(1);
    }

    @Test
    void executorCoresWinOverTheMachineAndRoundDown() {
        assertThat(ExecutorThreads.perTask(conf("spark.master", "yarn", "spark.executor.cores", "8"), 64)).isEqualTo(1);
        assertThat(ExecutorThreads.perTask(conf("spark.master", "yarn", "spark.executor.cores", "7", "spark.task.cpus", "3"), 64))
                .isEqualTo(3);
        assertThat(ExecutorThreads.perTask(conf("spark.master", "spark://h:7077", "spark.task.cpus", "4"), 16)).isEqualTo(4);
    }
}
