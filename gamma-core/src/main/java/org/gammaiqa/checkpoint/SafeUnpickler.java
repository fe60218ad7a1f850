package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * A pickle reader (one load at a time per instance) that runs nothing: every global must be on this instance's allow-list, object-building
 * opcodes that name classes (INST, OBJ, EXT) are refused, and no length may exceed the bytes left.
 * Refusals are {@link PickleException}s naming the offending global or opcode.
 */
public class SafeUnpickler extends Unpickler {
    /** {@code collections.OrderedDict}, allowed everywhere; it becomes an {@link OrderedDict}. */
    public static final String ORDERED_DICT = "collections.OrderedDict";

    private final Map<String, IObjectConstructor> globals = new HashMap<>();
    private final Function<Object, Object> persistentLoad;

    /** An unpickler for plain data (dict, list, tuple, int, float, str, bytes, OrderedDict), refusing persistent ids. */
    public SafeUnpickler() {
        this(Map.of(), null);
    }

    /**
     * An unpickler that also allows {@code extraGlobals} (keyed {@code module.name}) and resolves persistent ids
     * with {@code persistentLoad} (null: refuse them).
     */
    public SafeUnpickler(Map<String, IObjectConstructor> extraGlobals, Function<Object, Object> persistentLoad) {
        globals.put(ORDERED_DICT, args -> new OrderedDict());
        globals.putAll(extraGlobals);
        this.persistentLoad = persistentLoad;
    }

    /** Plain data from one pickle of any protocol (0–5); see {@link #SafeUnpickler()}. */
    public static Object loadData(byte[] pickle) {
        return new SafeUnpickler().load(ByteBuffer.wrap(pickle));
    }

    /** The object of the pickle that starts at {@code pickle}'s position, which is left just past its STOP. */
    public Object load(ByteBuffer pickle) {
        try {
            return super.load(new BufferInput(pickle));
        } catch (IOException e) {
            throw new PickleException("pickle ends early: " + e.getMessage());
        } finally {
            close();
        }
    }

    @Override
    public Object load(InputStream in) throws IOException {
        return load(ByteBuffer.wrap(in.readAllBytes()));
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (persistentLoad == null) {
            throw new PickleException("refused persistent id " + pid + ": this pickle should hold plain data only");
        }
        return persistentLoad.apply(pid);
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = readLine();
                stack.add(allowed(module, readLine()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleException("STACK_GLOBAL needs two strings, got " + module + " and " + name);
                }
                stack.add(allowed(m, n));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST, Opcodes.OBJ, Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 ->
                    throw new PickleException("refused pickle opcode 0x" + Integer.toHexString(key)
                            + " (INST/OBJ/EXT build arbitrary objects)");
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                if (!(stack.peek() instanceof OrderedDict)) {
                    throw new PickleException("refused BUILD on " + describe(stack.peek())
                            + ": only OrderedDict state is accepted");
                }
                stack.add(state);
                return super.dispatch(key);
            }
            case Opcodes.EMPTY_DICT -> {
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            }
            case Opcodes.DICT -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(stack.pop_all_since_marker(), dict);
                stack.add(dict);
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                putPairs(items, asMap(stack.peek()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEM -> {
                Object value = stack.pop();
                Object k = stack.pop();
                asMap(stack.peek()).put(k, value);
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINSTRING, Opcodes.BINBYTES, Opcodes.BINUNICODE, Opcodes.LONG4 -> checkLength(4);
            case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> checkLength(8);
            default -> { }
        }
        return super.dispatch(key);
    }

    private IObjectConstructor allowed(String module, String name) {
        IObjectConstructor c = globals.get(module + "." + name);
        if (c == null) {
            throw new PickleException("refused global '" + module + "." + name + "', which is not among the "
                    + globals.size() + " this reader allows (nothing was run; the file may be malicious)");
        }
        return c;
    }

    private String readLine() throws IOException {
        String line = ((BufferInput) input).readLine();
        if (line == null) {
            throw new PickleException("pickle ends inside a GLOBAL name");
        }
        return line;
    }

    /** Refuses a length prefix (not consumed) that claims more bytes than the pickle has after it. */
    private void checkLength(int width) {
        BufferInput in = (BufferInput) input;
        long length = in.peekLength(width);
        long left = in.available() - width;
        if (length < 0 || length > left) {
            throw new PickleException("pickle claims a " + length + "-byte value but only " + Math.max(left, 0) + " bytes are left");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) {
        if (!(o instanceof Map)) {
            throw new PickleException("SETITEM(S) on " + describe(o) + ", expected a dict");
        }
        return (Map<Object, Object>) o;
    }

    private static void putPairs(List<Object> items, Map<Object, Object> into) {
        if (items.size() % 2 != 0) {
            throw new PickleException("dict items come in pairs, got " + items.size() + " values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            into.put(items.get(i), items.get(i + 1));
        }
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    /** Python's {@code collections.OrderedDict}: keeps insertion order; attribute state (e.g. torch's {@code _metadata}) is dropped. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** Pickle's BUILD for an OrderedDict: attribute state is ignored, as it carries no items. */
        public void __setstate__(HashMap<?, ?> state) {
            // Attributes of an OrderedDict subclass instance carry no items.
        }

        /** Pyrolite looks the method up by the state's exact class; this reader builds dicts as LinkedHashMap. */
        public void __setstate__(LinkedHashMap<?, ?> state) {
            // As above: model.state_dict()'s _metadata attribute is dropped.
        }
    }

    /** The pickle bytes as a stream that knows how much is left and can peek at a length prefix. */
    private static final class BufferInput extends InputStream {
        private final ByteBuffer buf;

        BufferInput(ByteBuffer buf) {
            this.buf = buf;
        }

        @Override
        public int read() {
            return buf.hasRemaining() ? buf.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!buf.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return buf.remaining();
        }

        String readLine() {
            StringBuilder sb = new StringBuilder();
            while (buf.hasRemaining()) {
                char c = (char) (buf.get() & 0xff);
                if (c == '\n') {
                    return sb.toString();
                }
                sb.append(c);
            }
            return null;
        }

        long peekLength(int width) {
            if (buf.remaining() < width) {
                return -1;
            }
            ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            return width == 4 ? le.getInt() & 0xffffffffL : le.getLong();
        }
    }
}
