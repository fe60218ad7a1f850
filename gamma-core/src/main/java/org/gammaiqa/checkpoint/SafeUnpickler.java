package org.gammaiqa.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A pickle reader (protocols 0–5, one load at a time per instance) that runs nothing and works within budgets.
 * Every global must be on the instance's allow-list; INST, OBJ and EXT (which name classes to build) are refused,
 * and so are out-of-band buffers. Dict keys and set members must be hashable atoms (as Python requires: no lists,
 * dicts or sets), so nothing of the file's making is ever hashed or printed recursively. The budgets: nesting depth
 * and logical size of containers (an element reached twice through the memo counts twice), marks, memo entries,
 * objects created, digits of a number, length of a text line and of a value. Refusals are
 * {@link UnpicklingException}s saying what was refused and where.
 *
 * <p>Values: None → null, bool → Boolean, int → Integer, Long or BigInteger (the smallest that holds it), float →
 * Double, str → String, bytes → byte[], tuple → Object[], list → List, dict → Map (insertion order), set and
 * frozenset → Set, {@code collections.OrderedDict} → {@link OrderedDict}.
 */
public class SafeUnpickler {
    /** {@code collections.OrderedDict}, allowed everywhere; it becomes an {@link OrderedDict}. */
    public static final String ORDERED_DICT = "collections.OrderedDict";
    /** Deepest nesting of containers (a torch state dict nests 5 deep). */
    public static final int MAX_DEPTH = 100;
    /** Most elements a container may reach, counting each path through the memo (a "billion laughs" is refused). */
    public static final long MAX_LOGICAL_SIZE = 1L << 24;
    /** Most values created, and most memo entries. */
    public static final int MAX_OBJECTS = 2_000_000;
    /** Most decimal digits of an int written as text, and most bytes of one written in binary (about as many digits). */
    public static final int MAX_DIGITS = 1000;
    private static final int MAX_NUMBER_BYTES = 420;
    /** Longest text line (GLOBAL names, protocol-0 strings and numbers). */
    public static final int MAX_LINE = 1 << 16;
    private static final int MAX_NAME = 256;

    /** A Python callable the pickle may name (a global on the allow-list), called by REDUCE or NEWOBJ. */
    @FunctionalInterface
    public interface Global {
        Object call(Object[] args);
    }

    private final Map<String, Global> globals = new HashMap<>();
    private final Function<Object, Object> persistentLoad;
    private ByteBuffer in;
    private int start;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    /** Depth and logical size of every container built so far (tuples included, which Java cannot subclass). */
    private final Map<Object, long[]> shapes = new IdentityHashMap<>();
    private long objects;

    /** An unpickler for plain data (dict, list, tuple, int, float, str, bytes, OrderedDict), refusing persistent ids. */
    public SafeUnpickler() {
        this(Map.of(), null);
    }

    /**
     * An unpickler that also allows {@code extraGlobals} (keyed {@code module.name}) and resolves persistent ids
     * with {@code persistentLoad} (null: refuse them).
     */
    public SafeUnpickler(Map<String, Global> extraGlobals, Function<Object, Object> persistentLoad) {
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
        in = pickle.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        start = in.position();
        try {
            while (true) {
                int op = u8();
                if (op == '.') {
                    Object result = pop();
                    pickle.position(in.position());
                    return result;
                }
                step(op);
            }
        } finally {
            stack.clear();
            marks.clear();
            memo.clear();
            shapes.clear();
            objects = 0;
        }
    }

    private void step(int op) {
        switch (op) {
            case '(' -> {
                if (marks.size() >= MAX_DEPTH) {
                    throw refused("more than " + MAX_DEPTH + " nested MARKs");
                }
                marks.add(stack.size());
            }
            case '0' -> {
                if (!marks.isEmpty() && last(marks) == stack.size()) {
                    marks.remove(marks.size() - 1);
                } else {
                    pop();
                }
            }
            case '1' -> popMark();
            case '2' -> stack.add(peek());
            case 0x80 -> {
                int protocol = u8();
                if (protocol > 5) {
                    throw refused("pickle protocol " + protocol + ", this reader knows 0 to 5");
                }
            }
            case 0x95 -> bytes(8, false);                                  // FRAME: a length, then ordinary opcodes
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'I' -> push(textInt(line(MAX_DIGITS + 2)));
            case 'J' -> push(take(4).getInt());
            case 'K' -> push(u8());
            case 'M' -> push(take(2).getShort() & 0xffff);
            case 'L' -> {
                String digits = line(MAX_DIGITS + 2);
                push(number(digits.endsWith("L") ? digits.substring(0, digits.length() - 1) : digits));
            }
            case 0x8a -> push(binaryInt(u8()));
            case 0x8b -> push(binaryInt(length(4)));
            case 'F' -> push(textFloat(line(64)));
            case 'G' -> push(take(8).order(ByteOrder.BIG_ENDIAN).getDouble());
            case 'S' -> push(pythonString(line(MAX_LINE)));
            case 'V' -> push(rawUnicode(line(MAX_LINE)));
            case 'T' -> push(latin1(bytes(length(4), true)));
            case 'U' -> push(latin1(bytes(u8(), true)));
            case 'X' -> push(utf8(bytes(length(4), true)));
            case 0x8c -> push(utf8(bytes(u8(), true)));
            case 0x8d -> push(utf8(bytes(length(8), true)));
            case 'B' -> push(bytes(length(4), true));
            case 'C' -> push(bytes(u8(), true));
            case 0x8e, 0x96 -> push(bytes(length(8), true));
            case ')' -> push(tuple(new Object[0]));
            case 't' -> push(tuple(popMark().toArray()));
            case 0x85 -> push(tuple(new Object[] {pop()}));
            case 0x86 -> {
                Object b = pop();
                push(tuple(new Object[] {pop(), b}));
            }
            case 0x87 -> {
                Object c = pop();
                Object b = pop();
                push(tuple(new Object[] {pop(), b, c}));
            }
            case ']' -> push(container(new ArrayList<>()));
            case 'l' -> {
                List<Object> items = popMark();
                List<Object> list = container(new ArrayList<>(items.size()));
                addAll(list, items);
                push(list);
            }
            case 'a' -> {
                List<Object> value = new ArrayList<>(1);
                value.add(pop());
                addAll(list(peek(), "APPEND"), value);
            }
            case 'e' -> {
                List<Object> items = popMark();
                addAll(list(peek(), "APPENDS"), items);
            }
            case '}' -> push(container(new LinkedHashMap<>()));
            case 'd' -> {
                List<Object> items = popMark();
                Map<Object, Object> dict = container(new LinkedHashMap<>());
                putPairs(dict, items);
                push(dict);
            }
            case 's' -> {
                Object value = pop();
                List<Object> pair = new ArrayList<>(2);
                pair.add(pop());
                pair.add(value);
                putPairs(dict(peek(), "SETITEM"), pair);
            }
            case 'u' -> {
                List<Object> items = popMark();
                putPairs(dict(peek(), "SETITEMS"), items);
            }
            case 0x8f -> push(container(new LinkedHashSet<>()));
            case 0x90 -> {
                List<Object> items = popMark();
                Object target = peek();
                if (!(target instanceof LinkedHashSet<?>)) {
                    throw refused("ADDITEMS on " + describe(target) + ", expected a set");
                }
                @SuppressWarnings("unchecked")
                Collection<Object> set = (Collection<Object>) target;
                addAll(set, items);
            }
            case 0x91 -> {
                List<Object> items = popMark();
                Collection<Object> set = container(new LinkedHashSet<>());
                addAll(set, items);
                push(set);
            }
            case 'g' -> push(memoGet(memoIndex(line(20))));
            case 'h' -> push(memoGet(u8()));
            case 'j' -> push(memoGet(take(4).getInt() & 0xffffffffL));
            case 'p' -> memoPut(memoIndex(line(20)));
            case 'q' -> memoPut(u8());
            case 'r' -> memoPut(take(4).getInt() & 0xffffffffL);
            case 0x94 -> memoPut(memo.size());
            case 'c' -> {
                String module = line(MAX_NAME);
                push(allowed(module, line(MAX_NAME)));
            }
            case 0x93 -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n) || m.length() > MAX_NAME || n.length() > MAX_NAME) {
                    throw refused("STACK_GLOBAL needs two short strings, got " + describe(module) + " and " + describe(name));
                }
                push(allowed(m, n));
            }
            case 'R', 0x81 -> {
                Object args = pop();
                push(call(pop(), args));
            }
            case 0x92 -> {
                Object kwargs = pop();
                Object args = pop();
                if (!(kwargs instanceof Map<?, ?> k) || !k.isEmpty()) {
                    throw refused("NEWOBJ_EX with keyword arguments " + describe(kwargs));
                }
                push(call(pop(), args));
            }
            case 'b' -> {
                Object state = pop();
                if (!(peek() instanceof OrderedDict)) {
                    throw refused("BUILD on " + describe(peek()) + ": only OrderedDict state is accepted, "
                            + "and dropped (" + describe(state) + ")");
                }
            }
            case 'P' -> push(persistent(line(MAX_NAME)));
            case 'Q' -> push(persistent(pop()));
            case 'i', 'o', 0x82, 0x83, 0x84 -> throw refused("pickle opcode 0x" + Integer.toHexString(op)
                    + " (INST/OBJ/EXT build arbitrary objects)");
            case 0x97, 0x98 -> throw refused("pickle opcode 0x" + Integer.toHexString(op) + " (out-of-band buffers)");
            default -> throw malformed("unknown pickle opcode 0x" + Integer.toHexString(op));
        }
    }

    private Object persistent(Object pid) {
        if (persistentLoad == null) {
            throw refused("persistent id " + describe(pid) + ": this pickle should hold plain data only");
        }
        return persistentLoad.apply(pid);
    }

    private Object call(Object callable, Object args) {
        if (!(callable instanceof Global g) || !(args instanceof Object[] a)) {
            throw malformed("REDUCE/NEWOBJ of " + describe(callable) + " with " + describe(args)
                    + ", expected an allowed global and a tuple");
        }
        return g.call(a);
    }

    private Global allowed(String module, String name) {
        Global g = globals.get(module + "." + name);
        if (g == null) {
            throw refused("global '" + module + "." + name + "', which is not among the " + globals.size()
                    + " this reader allows (nothing was run; the file may be malicious)");
        }
        return g;
    }

    // ---- containers and their budgets

    private <T> T container(T c) {
        shapes.put(c, new long[] {1, 1});
        return c;
    }

    /** A tuple; its depth and size are recorded only when it holds a container (else they follow from its length). */
    private Object[] tuple(Object[] items) {
        long[] shape = {1, 1};
        grow(shape, Arrays.asList(items));
        if (shape[0] > 1) {
            shapes.put(items, shape);
        }
        return items;
    }

    /** The recorded depth and size of a container; one a global returned (an OrderedDict) is recorded now. */
    private long[] shape(Object container) {
        return shapes.computeIfAbsent(container, c -> new long[] {1, 1});
    }

    private void addAll(Collection<Object> target, List<Object> items) {
        boolean set = target instanceof LinkedHashSet<?>;
        for (Object item : items) {
            if (set) {
                requireHashable(item, "set member");
            }
            target.add(item);
        }
        grow(shape(target), items);
    }

    private void putPairs(Map<Object, Object> dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw malformed("dict items come in pairs, got " + items.size() + " values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            requireHashable(items.get(i), "dict key");
            dict.put(items.get(i), items.get(i + 1));
        }
        grow(shape(dict), items);
    }

    /** Adds the depth and logical size of {@code items} to their container's. */
    private void grow(long[] shape, Collection<Object> items) {
        for (Object item : items) {
            long[] s = item instanceof Object[] t && !shapes.containsKey(t) ? new long[] {1, 1 + t.length} : shapes.get(item);
            long depth = s == null ? 1 : s[0] + 1;
            long size = s == null ? 1 : s[1];
            shape[0] = Math.max(shape[0], depth);
            shape[1] = Math.min(shape[1] + size, Long.MAX_VALUE / 2);
        }
        if (shape[0] > MAX_DEPTH) {
            throw refused("containers nested more than " + MAX_DEPTH + " deep");
        }
        if (shape[1] > MAX_LOGICAL_SIZE) {
            throw refused("a container reaching more than " + MAX_LOGICAL_SIZE + " elements through shared references");
        }
    }

    private static void requireHashable(Object key, String what) {
        if (key instanceof Collection<?> || key instanceof Map<?, ?>) {
            throw new UnpicklingException("refused " + what + " " + describe(key) + ": unhashable (Python refuses it too)", false);
        }
    }

    @SuppressWarnings("unchecked")
    private Collection<Object> list(Object o, String op) {
        if (!(o instanceof ArrayList<?>)) {
            throw malformed(op + " on " + describe(o) + ", expected a list");
        }
        return (Collection<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, String op) {
        if (!(o instanceof Map<?, ?>)) {
            throw malformed(op + " on " + describe(o) + ", expected a dict");
        }
        return (Map<Object, Object>) o;
    }

    // ---- the stack and the memo

    private void push(Object o) {
        if (++objects > MAX_OBJECTS) {
            throw refused("more than " + MAX_OBJECTS + " values");
        }
        stack.add(o);
    }

    private Object pop() {
        int floor = marks.isEmpty() ? 0 : last(marks);
        if (stack.size() <= floor) {
            throw malformed("pickle stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        int floor = marks.isEmpty() ? 0 : last(marks);
        if (stack.size() <= floor) {
            throw malformed("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    /** The items since the last MARK, which is removed with them. */
    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw malformed("pickle has no MARK to pop to");
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> tail = stack.subList(mark, stack.size());
        List<Object> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    private long memoIndex(String text) {
        if (!(number(text) instanceof Integer i)) {
            throw malformed("memo key " + shorten(text) + " out of range");
        }
        return i;
    }

    private Object memoGet(long key) {
        if (key < 0 || key > Integer.MAX_VALUE || !memo.containsKey((int) key)) {
            throw malformed("pickle refers to memo entry " + key + ", which was never stored");
        }
        return memo.get((int) key);
    }

    private void memoPut(long key) {
        if (key < 0 || key > Integer.MAX_VALUE) {
            throw malformed("memo key " + key + " out of range");
        }
        if (memo.size() >= MAX_OBJECTS && !memo.containsKey((int) key)) {
            throw refused("more than " + MAX_OBJECTS + " memo entries");
        }
        memo.put((int) key, peek());
    }

    private static int last(List<Integer> l) {
        return l.get(l.size() - 1);
    }

    // ---- reading the bytes

    private int u8() {
        if (!in.hasRemaining()) {
            throw truncated("pickle ends early, without its STOP opcode");
        }
        return in.get() & 0xff;
    }

    /** The next {@code n} bytes as a little-endian buffer. */
    private ByteBuffer take(int n) {
        if (in.remaining() < n) {
            throw truncated("pickle ends early, inside a value");
        }
        ByteBuffer b = in.slice(in.position(), n).order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + n);
        return b;
    }

    /** A length prefix of {@code width} bytes, refused if it claims more bytes than the pickle has left. */
    private int length(int width) {
        long length = width == 4 ? take(4).getInt() & 0xffffffffL : take(8).getLong();
        if (length < 0 || length > in.remaining()) {
            throw truncated("pickle claims a " + Long.toUnsignedString(length) + "-byte value but only " + in.remaining()
                    + " bytes are left");
        }
        return (int) length;
    }

    private byte[] bytes(int n, boolean keep) {
        if (in.remaining() < n) {
            throw truncated("pickle claims a " + n + "-byte value but only " + in.remaining() + " bytes are left");
        }
        if (!keep) {
            in.position(in.position() + n);
            return null;
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** A text line without its newline, at most {@code max} bytes. */
    private String line(int max) {
        int from = in.position();
        int end = Math.min(in.limit(), from + max + 1);
        for (int i = from; i < end; i++) {
            if (in.get(i) == '\n') {
                byte[] b = new byte[i - from];
                in.get(b);
                in.get();
                return latin1(b);
            }
        }
        if (end == in.limit()) {
            throw truncated("pickle ends early, inside a text line");
        }
        throw refused("a text line longer than " + max + " bytes");
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- numbers and strings written as text

    private Object textInt(String s) {
        if (s.equals("01")) {
            return Boolean.TRUE;
        }
        if (s.equals("00")) {
            return Boolean.FALSE;
        }
        return number(s);
    }

    private Object number(String s) {
        int digits = s.startsWith("-") || s.startsWith("+") ? s.length() - 1 : s.length();
        if (digits > MAX_DIGITS) {
            throw refused("an int of " + digits + " digits (at most " + MAX_DIGITS + ")");
        }
        if (digits == 0 || !s.substring(s.length() - digits).chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed("'" + shorten(s) + "' is not an int");
        }
        return smallest(new BigInteger(s));
    }

    private Object binaryInt(int n) {
        if (n > MAX_NUMBER_BYTES) {
            throw refused("an int of " + n + " bytes (at most " + MAX_NUMBER_BYTES + ")");
        }
        byte[] le = bytes(n, true);
        if (n == 0) {
            return 0;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        return smallest(new BigInteger(be));
    }

    private static Object smallest(BigInteger b) {
        if (b.bitLength() < 32) {
            return b.intValue();
        }
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    private Object textFloat(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw malformed("'" + shorten(s) + "' is not a float");
        }
    }

    /** A protocol-0 str: Python's repr, quoted, with backslash escapes; its bytes read as Latin-1. */
    private String pythonString(String repr) {
        if (repr.length() < 2 || repr.charAt(0) != repr.charAt(repr.length() - 1)
                || repr.charAt(0) != '\'' && repr.charAt(0) != '"') {
            throw malformed("protocol-0 string is not quoted");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < repr.length() - 1; i++) {
            char c = repr.charAt(i);
            if (c != '\\' || i + 1 >= repr.length() - 1) {
                out.append(c);
                continue;
            }
            char e = repr.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'x' -> {
                    out.append((char) hex(repr, i + 1, 2));
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = 0;
                        int j = i;
                        while (j < repr.length() - 1 && j < i + 3 && repr.charAt(j) >= '0' && repr.charAt(j) <= '7') {
                            v = v * 8 + repr.charAt(j++) - '0';
                        }
                        out.append((char) (v & 0xff));
                        i = j - 1;
                    } else {
                        out.append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A protocol-0 unicode: raw-unicode-escape, i.e. Latin-1 with {@code \}{@code uXXXX} and {@code \}{@code UXXXXXXXX}. */
    private String rawUnicode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')) {
                int digits = s.charAt(i + 1) == 'u' ? 4 : 8;
                int cp = hex(s, i + 2, digits);
                if (!Character.isValidCodePoint(cp)) {
                    throw malformed("\\U escape beyond Unicode");
                }
                out.appendCodePoint(cp);
                i += 1 + digits;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private int hex(String s, int from, int digits) {
        if (from + digits > s.length()) {
            throw malformed("escape sequence cut short");
        }
        int v = 0;
        for (int i = from; i < from + digits; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw malformed("bad hex digit in an escape sequence");
            }
            v = v << 4 | d;
        }
        return v;
    }

    // ---- messages

    private UnpicklingException refused(String what) {
        return new UnpicklingException("refused " + what + " at byte " + (in.position() - start) + " of the pickle", false);
    }

    private UnpicklingException malformed(String what) {
        return new UnpicklingException(what + " at byte " + (in.position() - start) + " of the pickle", false);
    }

    private UnpicklingException truncated(String what) {
        return new UnpicklingException(what, true);
    }

    /**
     * A short description of an unpickled value for messages: its type, and for atoms and flat tuples their value,
     * cut at 80 characters; containers are never walked beyond their first level.
     */
    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof String s) {
            return "'" + shorten(s) + "'";
        }
        if (o instanceof Number || o instanceof Boolean) {
            return shorten(o.toString());
        }
        if (o instanceof byte[] b) {
            return "bytes of length " + b.length;
        }
        if (o instanceof Object[] t) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < t.length && sb.length() < 80; i++) {
                Object item = t[i];
                sb.append(i == 0 ? "" : ", ").append(item instanceof Object[] || item instanceof Collection<?>
                        || item instanceof Map<?, ?> ? kind(item) : describe(item));
            }
            return shorten(sb.append(t.length == 1 ? ",)" : ")").toString());
        }
        return kind(o);
    }

    private static String kind(Object o) {
        if (o instanceof Object[] t) {
            return "a tuple of " + t.length;
        }
        if (o instanceof OrderedDict d) {
            return "an OrderedDict of " + d.size();
        }
        if (o instanceof Map<?, ?> m) {
            return "a dict of " + m.size();
        }
        if (o instanceof LinkedHashSet<?> s) {
            return "a set of " + s.size();
        }
        if (o instanceof List<?> l) {
            return "a list of " + l.size();
        }
        if (o instanceof Global) {
            return "a global";
        }
        return "a " + o.getClass().getSimpleName();
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "…";
    }

    /** Python's {@code collections.OrderedDict}: keeps insertion order; attribute state (e.g. torch's {@code _metadata}) is dropped. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }
}
