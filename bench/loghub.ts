/** The 16 Loghub systems of `../shared/data/loghub_2k`: one list for the benchmarks and the tests. */
export const LOGHUB_SYSTEMS = [
  'Android',
  'Apache',
  'BGL',
  'HDFS',
  'HPC',
  'Hadoop',
  'HealthApp',
  'Linux',
  'Mac',
  'OpenSSH',
  'OpenStack',
  'Proxifier',
  'Spark',
  'Thunderbird',
  'Windows',
  'Zookeeper',
] as const;
