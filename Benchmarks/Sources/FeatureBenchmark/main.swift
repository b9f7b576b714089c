// Placeholder until the FeatureBenchmark is written by its owner; prints that it is not written.
print("FeatureBenchmark: not written yet")
