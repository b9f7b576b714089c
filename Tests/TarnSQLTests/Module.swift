// Test target for the module of the same name; suites live in the files next to this one.
import Testing
