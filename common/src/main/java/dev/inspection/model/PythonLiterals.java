package dev.inspection.model;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Parses the two Python literals that Ultralytics writes into ONNX metadata: {@code names}, a dict of class id to
 * name ({@code {0: 'person', 1: "people's bicycle"}}), and {@code imgsz}, a list of ints ({@code [640, 640]}).
 */
public final class PythonLiterals {

    private PythonLiterals() {}

    /** Class names in id order; ids must run 0..n-1. */
    public static List<String> classNames(String literal) {
        Parser p = new Parser(literal);
        TreeMap<Integer, String> names = new TreeMap<>();
        p.expect('{');
        while (!p.peek('}')) {
            int id = p.integer();
            p.expect(':');
            names.put(id, p.string());
            if (!p.peek('}')) {
                p.expect(',');
            }
        }
        p.expect('}');
        List<String> ordered = new ArrayList<>(names.values());
        if (!names.isEmpty() && (names.firstKey() != 0 || names.lastKey() != names.size() - 1)) {
            throw new IllegalArgumentException(
                    "class ids must run 0.." + (names.size() - 1) + ", got " + names.keySet());
        }
        return ordered;
    }

    /** A list of ints such as {@code [640, 640]} or {@code (320, 320)}; a bare int gives one element. */
    public static List<Integer> ints(String literal) {
        Parser p = new Parser(literal);
        List<Integer> values = new ArrayList<>();
        if (!p.peek('[') && !p.peek('(')) {
            values.add(p.integer());
            return values;
        }
        char close = p.peek('[') ? ']' : ')';
        p.pos++;
        while (!p.peek(close)) {
            values.add(p.integer());
            if (!p.peek(close)) {
                p.expect(',');
            }
        }
        return values;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean peek(char c) {
            skipSpace();
            return pos < s.length() && s.charAt(pos) == c;
        }

        void expect(char c) {
            if (!peek(c)) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        int integer() {
            skipSpace();
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("an integer");
            }
            return Integer.parseInt(s.substring(start, pos));
        }

        String string() {
            skipSpace();
            if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
                throw error("a quoted string");
            }
            char quote = s.charAt(pos++);
            StringBuilder out = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != quote) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                out.append(c);
            }
            expect(quote);
            return out.toString();
        }

        private IllegalArgumentException error(String wanted) {
            return new IllegalArgumentException("expected " + wanted + " at position " + pos + " of " + s);
        }
    }
}
