package dev.ringmaster.gitcommitter.domain;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

/**
 * A YAML document as a tree of nodes that remember exactly where they stand in the text (char offsets), built from
 * SnakeYAML's event stream. Unlike a composed tree, an alias stays an alias node at its own position, so an edit
 * never reaches through an alias into the anchor it names.
 */
final class YamlTree {

    /** A node and its span {@code [start, end)} in the text. */
    sealed interface Node permits Scalar, Mapping, Sequence, Alias {
        int start();

        int end();
    }

    /** A scalar; {@code style} says how it was written (plain, quoted, block). */
    record Scalar(String value, DumperOptions.ScalarStyle style, int start, int end) implements Node {
        boolean isNull() {
            return style == DumperOptions.ScalarStyle.PLAIN
                    && (value.isEmpty()
                            || value.equals("~")
                            || value.equals("null")
                            || value.equals("Null")
                            || value.equals("NULL"));
        }
    }

    /** A key and its value. */
    record Entry(Node key, Node value) {}

    /** A mapping; for a flow mapping {@code end} is the offset of its closing brace. */
    record Mapping(List<Entry> entries, boolean flow, int start, int end) implements Node {
        Optional<Node> get(String key) {
            return entries.stream()
                    .filter(e -> e.key() instanceof Scalar s && s.value().equals(key))
                    .map(Entry::value)
                    .findFirst();
        }

        boolean hasMergeKey() {
            return entries.stream()
                    .anyMatch(e -> e.key() instanceof Scalar s && s.value().equals("<<"));
        }
    }

    /** A sequence; for a flow sequence {@code end} is the offset of its closing bracket. */
    record Sequence(List<Node> items, boolean flow, int start, int end) implements Node {}

    /** An alias ({@code *name}). */
    record Alias(String anchor, int start, int end) implements Node {}

    private final String text;
    private final int[] charOffsetOfCodePoint;

    private YamlTree(String text) {
        this.text = text;
        this.charOffsetOfCodePoint = text.codePointCount(0, text.length()) == text.length() ? null : offsets(text);
    }

    /**
     * Parses the single document of {@code text}; an empty document gives {@code null}.
     *
     * @throws FleetYamlException when the text is not YAML, or holds more than one document
     */
    static Node parse(String text) {
        return new YamlTree(text).build();
    }

    private Node build() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(5 * 1024 * 1024);
        Deque<Object[]> stack = new ArrayDeque<>(); // {Node-in-progress list, start event}
        Node root = null;
        int documents = 0;
        try {
            for (Event event : new Yaml(options).parse(new StringReader(text))) {
                if (event instanceof DocumentStartEvent) {
                    if (++documents > 1) {
                        throw new FleetYamlException("fleet.yaml holds more than one YAML document");
                    }
                } else if (event instanceof CollectionStartEvent start) {
                    stack.push(new Object[] {new ArrayList<Node>(), start});
                } else if (event.is(Event.ID.MappingEnd) || event.is(Event.ID.SequenceEnd)) {
                    Object[] frame = stack.pop();
                    @SuppressWarnings("unchecked")
                    List<Node> children = (List<Node>) frame[0];
                    CollectionStartEvent start = (CollectionStartEvent) frame[1];
                    boolean flow = start.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
                    int from = offset(start.getStartMark());
                    int to = flow ? offset(event.getStartMark()) : Math.max(from, lastEnd(children, from));
                    Node node;
                    if (start instanceof MappingStartEvent) {
                        List<Entry> entries = new ArrayList<>();
                        java.util.Set<String> keys = new java.util.HashSet<>();
                        for (int i = 0; i + 1 < children.size(); i += 2) {
                            if (children.get(i) instanceof Scalar k
                                    && !k.value().equals("<<")
                                    && !keys.add(k.value())) {
                                throw new FleetYamlException("fleet.yaml has a duplicate key '" + k.value()
                                        + "' at line " + (line(k.start()) + 1) + ": an edit would be ambiguous");
                            }
                            entries.add(new Entry(children.get(i), children.get(i + 1)));
                        }
                        node = new Mapping(List.copyOf(entries), flow, from, to);
                    } else {
                        assert start instanceof SequenceStartEvent;
                        node = new Sequence(List.copyOf(children), flow, from, to);
                    }
                    root = add(stack, node, root);
                } else if (event instanceof ScalarEvent s) {
                    root = add(
                            stack,
                            new Scalar(
                                    s.getValue(), s.getScalarStyle(), offset(s.getStartMark()), offset(s.getEndMark())),
                            root);
                } else if (event instanceof AliasEvent a) {
                    root = add(stack, new Alias(a.getAnchor(), offset(a.getStartMark()), offset(a.getEndMark())), root);
                }
            }
        } catch (YAMLException e) {
            throw new FleetYamlException(
                    "fleet.yaml is not valid YAML: " + e.getMessage().strip());
        }
        return root;
    }

    private static Node add(Deque<Object[]> stack, Node node, Node root) {
        if (stack.isEmpty()) {
            return node;
        }
        @SuppressWarnings("unchecked")
        List<Node> children = (List<Node>) stack.peek()[0];
        children.add(node);
        return root;
    }

    /** Where a block collection's content ends: the end of its last descendant. */
    private static int lastEnd(List<Node> children, int fallback) {
        int end = fallback;
        for (Node n : children) {
            end = Math.max(end, n.end());
        }
        return end;
    }

    private int line(int offset) {
        int line = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private int offset(Mark mark) {
        int cp = mark.getIndex();
        return charOffsetOfCodePoint == null ? cp : charOffsetOfCodePoint[cp];
    }

    private static int[] offsets(String text) {
        int[] result = new int[text.codePointCount(0, text.length()) + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            result[cp++] = i;
        }
        result[cp] = text.length();
        return result;
    }
}
