package io.github.jmeterportscan.link;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/**
 * The calls on a capture handle that pcap4j makes costly, made directly: reading, counters and
 * the filter. Reading takes a batch per {@code pcap_dispatch} without a Java callback per packet:
 * pcap4j's dispatch calls back into Java through JNA for every frame and builds a byte array, a
 * timestamp and a task for each, which at a full scan's reply rate costs a good part of a core
 * and hundreds of bytes of garbage per reply. Here libpcap's own
 * handler, {@code pcap_dump}, writes the batch as pcap records into an unbuffered memory stream
 * ({@code fmemopen}) over a buffer of ours, which Java reads through a ByteBuffer view, cutting
 * the records into frames in a reused array: a read is two native calls, pcap_dispatch and the
 * rewind, however many packets it brings (a one-port JMeter sample reads one or two).
 *
 * <p>The handle is put in non-blocking mode: {@link #dispatch} hands over what the ring holds and
 * returns at once, so that whichever thread needs replies can read them (see {@link Capture});
 * waiting for packets is {@link ReadinessWait}'s. Error reporting is that of {@code pcap_dispatch}.
 * Calls that read or change the handle's state are serialised by the caller.
 */
final class PcapDirect implements AutoCloseable {
    /**
     * A record: 16-byte header (32-bit seconds, fraction, caplen, len; host order), then the
     * bytes. The fraction is in nanoseconds: the handle is opened with nanosecond precision.
     */
    private static final int RECORD_HEADER = 16;
    /** pcap_dump_fopen writes the 24-byte file header first; records follow. */
    private static final int FILE_HEADER = 24;
    private static final int SEEK_SET = 0;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_IGNORE_OUTGOING = 23;
    /** struct bpf_program on LP64: u_int bf_len, padding, struct bpf_insn *bf_insns. */
    private static final int BPF_PROGRAM_SIZE = 16;
    /** PCAP_NETMASK_UNKNOWN: only matters for IPv4 broadcast tests, which our filters do not use. */
    private static final int NETMASK_UNKNOWN = 0xffffffff;
    private static final int PCAP_ERRBUF_SIZE = 256;

    /** Where each frame of a batch is handed, in capture order; the array is reused after the call. */
    @FunctionalInterface
    interface FrameSink {
        /** @param epochNanos the kernel's capture time, nanoseconds since the epoch (CLOCK_REALTIME) */
        void frame(byte[] frame, int length, long epochNanos);
    }

    private final Pointer pcap;
    private final Memory buffer;
    private final ByteBuffer records;
    private final Pointer file;
    private final Pointer dumper;
    private final int maxPerBatch;
    private final byte[] frame;
    /** struct pcap_stat on Linux: ps_recv, ps_drop, ps_ifdrop, unsigned ints. */
    private final Memory statsBuffer = new Memory(12);
    private boolean closed;

    private PcapDirect(Pointer pcap, Memory buffer, Pointer file, Pointer dumper, int snaplen) {
        this.pcap = pcap;
        this.buffer = buffer;
        this.file = file;
        this.dumper = dumper;
        this.maxPerBatch = (int) ((buffer.size() - FILE_HEADER) / (RECORD_HEADER + snaplen));
        this.records = buffer.getByteBuffer(0, buffer.size()).order(ByteOrder.LITTLE_ENDIAN);
        this.frame = new byte[snaplen];
    }

    /** The most packets one {@link #dispatch} hands over; fewer means the ring was emptied. */
    int maxPerBatch() {
        return maxPerBatch;
    }

    /** Sets up batch reading on an open handle (activated, snaplen set); it stays the caller's to close. */
    static PcapDirect open(PcapHandle handle, int snaplen, int bufferBytes) throws LinkException {
        Throwable failure = Natives.LOAD_FAILURE != null ? Natives.LOAD_FAILURE : LibC.loadFailure();
        if (failure != null) {
            throw new LinkException("cannot read packets in batches: " + failure, failure);
        }
        Pointer pcap = pointerOf(handle);
        Memory buffer = new Memory(bufferBytes);
        Pointer file;
        try {
            file = LibC.fmemopen(buffer, bufferBytes, "w");
        } catch (LastErrorException e) {
            throw new LinkException("cannot open a memory stream for captured packets: "
                    + LibC.strerror(e.getErrorCode()), e);
        }
        if (LibC.setvbuf(file, null, LibC.IONBF, 0) != 0) {
            LibC.fclose(file);
            throw new LinkException("cannot make the memory stream for captured packets unbuffered");
        }
        try (Memory errors = new Memory(PCAP_ERRBUF_SIZE)) {
            if (PcapCalls.pcap_setnonblock(pcap, 1, errors) != 0) {
                LibC.fclose(file);
                throw new LinkException("cannot make the capture non-blocking: " + errors.getString(0));
            }
        }
        Pointer dumper = PcapCalls.pcap_dump_fopen(pcap, file);
        if (dumper == null) {
            String why = PcapCalls.pcap_geterr(pcap);
            LibC.fclose(file);
            throw new LinkException("cannot collect captured packets: " + why);
        }
        return new PcapDirect(pcap, buffer, file, dumper, snaplen);
    }

    /** pcap4j keeps the pcap_t pointer private; 1.8.2 is pinned, and the field is checked here. */
    private static Pointer pointerOf(PcapHandle handle) throws LinkException {
        try {
            Field field = PcapHandle.class.getDeclaredField("handle");
            field.setAccessible(true);
            Pointer pointer = (Pointer) field.get(handle);
            if (pointer == null) {
                throw new LinkException("the pcap handle has no native handle");
            }
            return pointer;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new LinkException("this pcap4j version does not expose its native handle: " + e, e);
        }
    }

    /**
     * As {@code pcap_dispatch(-1)} on a non-blocking handle: hands every packet the ring holds (at
     * most a buffer's worth) to {@code sink}, without waiting.
     *
     * @return how many packets were handed over (0 when the ring was empty)
     * @throws InterruptedException when {@code pcap_breakloop} asked us out
     * @throws PcapNativeException  when libpcap reports an error (interface down or gone)
     */
    int dispatch(FrameSink sink) throws InterruptedException, PcapNativeException {
        int rc = PcapCalls.pcap_dispatch(pcap, maxPerBatch, Natives.PCAP_DUMP, dumper);
        if (rc == -2) {
            throw new InterruptedException("pcap_breakloop");
        }
        if (rc < 0) {
            throw new PcapNativeException("Error occurred: " + PcapCalls.pcap_geterr(pcap), rc);
        }
        if (rc == 0) {
            return 0;
        }
        // The stream is unbuffered: the rc records are in the buffer already.
        LibC.fseek(file, FILE_HEADER, SEEK_SET);
        int at = FILE_HEADER;
        for (int i = 0; i < rc; i++) {
            int captured = records.getInt(at + 8);
            int caplen = Math.min(captured, frame.length);
            records.get(at + RECORD_HEADER, frame, 0, caplen);
            long epochNanos = Integer.toUnsignedLong(records.getInt(at)) * 1_000_000_000L
                    + Integer.toUnsignedLong(records.getInt(at + 4));
            sink.frame(frame, caplen, epochNanos);
            at += RECORD_HEADER + captured;
        }
        return rc;
    }

    /**
     * libpcap's counters (pcap_stats into a reused structure: pcap4j builds a JNA Structure by
     * reflection for every call, which costs a one-port scan more than its probe). Not thread-safe:
     * the capture calls it under its own lock, never after the handle was closed.
     *
     * @return the counters, or null when libpcap could not read them
     */
    CaptureStats stats() {
        if (PcapCalls.pcap_stats(pcap, statsBuffer) != 0) {
            return null;
        }
        return new CaptureStats(Integer.toUnsignedLong(statsBuffer.getInt(0)),
                Integer.toUnsignedLong(statsBuffer.getInt(4)), Integer.toUnsignedLong(statsBuffer.getInt(8)));
    }

    /**
     * Compiles and installs a BPF filter (optimised, netmask unknown), as pcap4j's setFilter does
     * minus its JNA Structure, whose first use is a large share of a loopback scan's setup. The
     * caller keeps every reader out of {@link #dispatch} meanwhile.
     */
    void setFilter(String expression) throws PcapNativeException {
        try (Memory program = new Memory(BPF_PROGRAM_SIZE)) {
            program.clear();
            if (PcapCalls.pcap_compile(pcap, program, expression, 1, NETMASK_UNKNOWN) != 0) {
                throw new PcapNativeException("cannot compile \"" + expression + "\": " + PcapCalls.pcap_geterr(pcap));
            }
            try {
                if (PcapCalls.pcap_setfilter(pcap, program) != 0) {
                    throw new PcapNativeException("cannot set the filter: " + PcapCalls.pcap_geterr(pcap));
                }
            } finally {
                PcapCalls.pcap_freecode(program);
            }
        }
    }

    /**
     * Asks the kernel not to hand the capture socket the packets this host sends
     * (PACKET_IGNORE_OUTGOING, Linux 4.20+). On lo every packet is seen twice, leaving and
     * arriving, and the kernel would clone and filter each copy inside the sender's system call.
     *
     * @return false when the kernel does not know the option
     */
    boolean ignoreOutgoing() {
        int fd = PcapCalls.pcap_fileno(pcap);
        if (fd < 0) {
            return false;
        }
        try (Memory one = new Memory(4)) {
            one.setInt(0, 1);
            LibC.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, one, 4);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** The capture socket, for waiting on it; -1 when libpcap has none. */
    int fileDescriptor() {
        return PcapCalls.pcap_fileno(pcap);
    }

    /** Closes the memory stream; the handle itself is not touched. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            PcapCalls.pcap_dump_close(dumper);
            buffer.close();
            statsBuffer.close();
        }
    }

    /**
     * Binds {@link PcapCalls} (JNA direct mapping) once; {@link #open} checks {@link #LOAD_FAILURE}
     * (and LibC's) first, so no call reaches them unbound. x86-64 and aarch64 Linux are little-endian.
     */
    private static final class Natives {
        static final Function PCAP_DUMP;
        static final Throwable LOAD_FAILURE;

        static {
            Function dump = null;
            Throwable failure = null;
            try {
                if (!Platform.isLinux() || !Platform.is64Bit() || java.nio.ByteOrder.nativeOrder()
                        != java.nio.ByteOrder.LITTLE_ENDIAN) {
                    throw new UnsupportedOperationException("batch reading needs 64-bit little-endian Linux");
                }
                // The same library (and name property) as pcap4j's, so both use one libpcap.
                NativeLibrary pcapLibrary = NativeLibrary.getInstance(
                        System.getProperty("org.pcap4j.core.pcapLibName", "pcap"));
                Native.register(PcapCalls.class, pcapLibrary);
                dump = pcapLibrary.getFunction("pcap_dump");
            } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError
                failure = t;
            }
            PCAP_DUMP = dump;
            LOAD_FAILURE = failure;
        }
    }

    private static final class PcapCalls {
        static native int pcap_dispatch(Pointer p, int count, Pointer callback, Pointer user);

        static native Pointer pcap_dump_fopen(Pointer p, Pointer file);

        static native void pcap_dump_close(Pointer dumper);

        static native String pcap_geterr(Pointer p);

        static native int pcap_stats(Pointer p, Pointer stats);

        static native int pcap_fileno(Pointer p);

        static native int pcap_setnonblock(Pointer p, int nonblock, Pointer errbuf);

        static native int pcap_compile(Pointer p, Pointer program, String expression, int optimize, int netmask);

        static native int pcap_setfilter(Pointer p, Pointer program);

        static native void pcap_freecode(Pointer program);
    }
}
