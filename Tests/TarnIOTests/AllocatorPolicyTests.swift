// AllocatorPolicyTests: the allocator switch Tarn's executables set at startup takes
// effect on glibc, and allocating after it still works.
import Testing
import TarnIO

@Suite("Allocator policy")
struct AllocatorPolicyTests {
    @Test("glibc accepts the retained-buffer thresholds, and large buffers still allocate and free")
    func retainFreedBuffersIsAccepted() {
        #if canImport(Glibc)
        #expect(AllocatorPolicy.retainFreedBuffers())
        #endif
        for size in [1 << 20, 40 << 20, 8 << 20] {
            let buffer = [UInt8](repeating: 7, count: size)
            #expect(buffer.count == size && buffer[size - 1] == 7)
        }
    }
}
