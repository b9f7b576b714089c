// Placeholder until the OperationsBenchmark is written by its owner; prints that it is not written.
print("OperationsBenchmark: not written yet")
