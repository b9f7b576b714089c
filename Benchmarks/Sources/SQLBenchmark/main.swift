// Placeholder until the SQLBenchmark is written by its owner; prints that it is not written.
print("SQLBenchmark: not written yet")
