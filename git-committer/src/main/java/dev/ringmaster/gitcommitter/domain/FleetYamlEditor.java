package dev.ringmaster.gitcommitter.domain;

import dev.ringmaster.gitcommitter.domain.YamlTree.Alias;
import dev.ringmaster.gitcommitter.domain.YamlTree.Mapping;
import dev.ringmaster.gitcommitter.domain.YamlTree.Node;
import dev.ringmaster.gitcommitter.domain.YamlTree.Scalar;
import dev.ringmaster.gitcommitter.domain.YamlTree.Sequence;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Sets one ring's version in a fleet.yaml, changing only the bytes of that value — or, where the ring has no
 * override yet, adding only the missing block. Comments, quoting, key order, anchors, blank lines and line endings
 * elsewhere stay byte-for-byte. Pure: text in, text out.
 *
 * <p>Refused (with {@link FleetYamlException}) rather than guessed: a file that is not one YAML mapping, a
 * {@code targetCustomizations} that is not a list, a value on the path that is not a mapping, a path that passes
 * through a merge key ({@code <<}) or an alias.
 */
public final class FleetYamlEditor {

    /** What an edit did. {@code text} is the file to write; {@code previous} the value it replaced (null if added). */
    public record Result(boolean changed, String text, String previous) {}

    private static final String CUSTOMIZATIONS = "targetCustomizations";
    private static final int STEP = 2;

    private FleetYamlEditor() {}

    /** Sets the version of {@code target}'s ring in {@code text} to {@code version} (an OCI tag). */
    public static Result setVersion(String text, RingOverride target, String version) {
        String bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
        String body = text.substring(bom.length());
        Result r = new Editor(body, target, version).edit();
        return new Result(r.changed(), bom + r.text(), r.previous());
    }

    /**
     * The version the file holds for the ring's override, if it has one: read with YAML's full semantics (aliases
     * resolved, merge keys applied), as Fleet reads it.
     */
    public static Optional<String> currentVersion(String text, RingOverride target) {
        YamlTree.parse(text.startsWith("\uFEFF") ? text.substring(1) : text); // same refusals as an edit
        Object doc = new Yaml().load(text.startsWith("\uFEFF") ? text.substring(1) : text);
        if (!(doc instanceof Map<?, ?> root) || !(root.get(CUSTOMIZATIONS) instanceof List<?> list)) {
            return Optional.empty();
        }
        for (Object item : list) {
            if (item instanceof Map<?, ?> c && target.customizationName().equals(String.valueOf(c.get("name")))) {
                Object n = c;
                for (String key : target.versionPath()) {
                    n = n instanceof Map<?, ?> m ? m.get(key) : null;
                }
                return n == null || n instanceof Map || n instanceof List
                        ? Optional.empty()
                        : Optional.of(n.toString());
            }
        }
        return Optional.empty();
    }

    private static Optional<Mapping> findCustomization(Sequence seq, String name) {
        return seq.items().stream()
                .filter(Mapping.class::isInstance)
                .map(Mapping.class::cast)
                .filter(m -> m.get("name")
                        .filter(n -> n instanceof Scalar s && s.value().equals(name))
                        .isPresent())
                .findFirst();
    }

    private static final class Editor {
        private final String text;
        private final RingOverride target;
        private final String version;
        private final String eol;

        Editor(String text, RingOverride target, String version) {
            this.text = text;
            this.target = target;
            this.version = version;
            this.eol = text.contains("\r\n") ? "\r\n" : "\n";
        }

        Result edit() {
            Node root = YamlTree.parse(text);
            if (root == null || (root instanceof Scalar s && s.isNull())) {
                return appendAtEnd(customizationsBlock(0));
            }
            if (!(root instanceof Mapping doc)) {
                throw new FleetYamlException("fleet.yaml must be a YAML mapping at the top");
            }
            Optional<Node> list = doc.get(CUSTOMIZATIONS);
            if (list.isEmpty()) {
                if (doc.flow()) {
                    return insertIntoFlowMapping(doc, List.of(CUSTOMIZATIONS), flowCustomizationList());
                }
                return appendAtEnd(customizationsBlock(column(doc.start())));
            }
            Node value = list.get();
            if (value instanceof Scalar s && s.isNull()) {
                int keyColumn = column(keyOf(doc, CUSTOMIZATIONS).start());
                return replaceNullWithBlock(s, customizationItem(keyColumn, keyColumn + STEP));
            }
            if (!(value instanceof Sequence seq)) {
                throw new FleetYamlException(CUSTOMIZATIONS + " must be a list");
            }
            Optional<Mapping> existing = findCustomization(seq, target.customizationName());
            if (existing.isPresent()) {
                return setInMapping(
                        existing.get(),
                        target.versionPath(),
                        "targetCustomizations[" + target.customizationName() + "]");
            }
            return appendItem(seq, doc);
        }

        /** Walks {@code path} from {@code m}; replaces the value at its end or adds the missing keys. */
        private Result setInMapping(Mapping m, List<String> path, String where) {
            Mapping current = m;
            for (int i = 0; i < path.size(); i++) {
                String key = path.get(i);
                String here = where + "." + key;
                Optional<Node> next = current.get(key);
                if (next.isEmpty()) {
                    if (current.hasMergeKey()) {
                        throw new FleetYamlException(where + " takes keys from a merge key (<<): set "
                                + String.join(".", path.subList(i, path.size()))
                                + " by hand, adding it would hide the merged values");
                    }
                    return insertInto(current, path.subList(i, path.size()));
                }
                Node n = next.get();
                where = here;
                boolean last = i == path.size() - 1;
                if (last) {
                    if (n instanceof Alias a) {
                        return replaceSpan(a.start(), a.end(), quoted(version), "*" + a.anchor());
                    }
                    if (!(n instanceof Scalar s)) {
                        throw new FleetYamlException(here + " is not a single value, so it cannot hold the version");
                    }
                    if (!s.isNull() && s.value().equals(version)) {
                        return new Result(false, text, s.value());
                    }
                    if (s.isNull()) {
                        // "tag:" or "tag: ~": the value goes after the colon, one space from it
                        int from = spacesBefore(s.start());
                        return replaceSpan(from, s.end(), " " + quoted(version), null);
                    }
                    return replaceSpan(s.start(), s.end(), render(s), s.value());
                }
                if (n instanceof Alias) {
                    throw new FleetYamlException(here + " is an alias; set the version by hand");
                }
                if (n instanceof Scalar s && s.isNull()) {
                    int keyColumn = column(keyOf(current, key).start());
                    return replaceNullWithBlock(s, block(path.subList(i + 1, path.size()), keyColumn + STEP));
                }
                if (!(n instanceof Mapping child)) {
                    throw new FleetYamlException(here + " is not a mapping");
                }
                current = child;
            }
            throw new IllegalStateException("empty version path");
        }

        private Result insertInto(Mapping m, List<String> missing) {
            if (m.flow()) {
                return insertIntoFlowMapping(m, missing, quoted(version));
            }
            int indent = column(m.entries().get(0).key().start());
            int at = endOfLine(m.end());
            String prefix = at == text.length() && !endsWithNewline() ? eol : "";
            return insertAt(at, prefix + block(missing, indent), null);
        }

        private Result insertIntoFlowMapping(Mapping m, List<String> missing, String leaf) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < missing.size(); i++) {
                s.append(i == 0 ? "" : "{").append(missing.get(i)).append(": ");
            }
            s.append(leaf).append("}".repeat(missing.size() - 1));
            String sep = m.entries().isEmpty() ? "" : ", ";
            int at = m.end();
            // keep "{a: 1 }" tidy: insert right after the last entry, before any spaces
            while (at > m.start() + 1 && text.charAt(at - 1) == ' ') {
                at--;
            }
            return insertAt(at, sep + s, null);
        }

        private Result appendItem(Sequence seq, Mapping doc) {
            if (seq.flow()) {
                String sep = seq.items().isEmpty() ? "" : ", ";
                int at = seq.end();
                while (at > seq.start() + 1 && text.charAt(at - 1) == ' ') {
                    at--;
                }
                return insertAt(at, sep + flowCustomization(), null);
            }
            int dash = column(seq.start());
            Node first = seq.items().get(0);
            int itemIndent = Math.max(column(first.start()), dash + 2);
            int at = endOfLine(seq.end());
            String prefix = at == text.length() && !endsWithNewline() ? eol : "";
            return insertAt(at, prefix + customizationItem(dash, itemIndent), null);
        }

        private Result appendAtEnd(String block) {
            String prefix = text.isEmpty() || endsWithNewline() ? "" : eol;
            return insertAt(text.length(), prefix + block, null);
        }

        // ---- rendering

        private String customizationsBlock(int column) {
            return " ".repeat(column) + CUSTOMIZATIONS + ":" + eol + customizationItem(column, column + STEP);
        }

        /** One list item, the dash at {@code dash}, its keys at {@code indent}. */
        private String customizationItem(int dash, int indent) {
            String pad = " ".repeat(indent);
            return " ".repeat(dash) + "-" + " ".repeat(indent - dash - 1) + "name: " + target.customizationName() + eol
                    + pad + "clusterSelector:" + eol
                    + pad + " ".repeat(STEP) + "matchLabels:" + eol
                    + pad + " ".repeat(2 * STEP) + target.ringLabel() + ": \"" + target.ring() + "\"" + eol
                    + block(target.versionPath(), indent);
        }

        /** Nested block mappings for {@code keys}, the first at {@code indent}, the last holding the version. */
        private String block(List<String> keys, int indent) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < keys.size(); i++) {
                s.append(" ".repeat(indent + i * STEP)).append(keys.get(i)).append(':');
                s.append(i == keys.size() - 1 ? " " + quoted(version) : "").append(eol);
            }
            return s.toString();
        }

        private String flowCustomization() {
            StringBuilder s = new StringBuilder("{name: ")
                    .append(target.customizationName())
                    .append(", clusterSelector: {matchLabels: {")
                    .append(target.ringLabel())
                    .append(": \"")
                    .append(target.ring())
                    .append("\"}}, ");
            List<String> p = target.versionPath();
            for (int i = 0; i < p.size(); i++) {
                s.append(i == 0 ? "" : "{").append(p.get(i)).append(": ");
            }
            return s.append(quoted(version)).append("}".repeat(p.size())).toString();
        }

        private String flowCustomizationList() {
            return "[" + flowCustomization() + "]";
        }

        /** The version written in the scalar's own style; a plain scalar is quoted if plain would not be a string. */
        private String render(Scalar s) {
            return switch (s.style()) {
                case SINGLE_QUOTED -> "'" + version + "'";
                case PLAIN -> plainIsString(version) ? version : quoted(version);
                default -> quoted(version);
            };
        }

        private static String quoted(String v) {
            return "\"" + v + "\"";
        }

        private static boolean plainIsString(String v) {
            return new Resolver().resolve(NodeId.scalar, v, true).equals(Tag.STR);
        }

        // ---- text positions

        /** Replaces a null value ("key:" or "key: ~") by a block that starts on the next line. */
        private Result replaceNullWithBlock(Scalar s, String block) {
            String body = block.endsWith(eol) ? block.substring(0, block.length() - eol.length()) : block;
            return replaceSpan(spacesBefore(s.start()), s.end(), eol + body, null);
        }

        /** The offset of the first of the spaces that precede {@code offset} on its line. */
        private int spacesBefore(int offset) {
            int i = offset;
            while (i > 0 && text.charAt(i - 1) == ' ') {
                i--;
            }
            return i;
        }

        private Result replaceSpan(int start, int end, String replacement, String previous) {
            return new Result(true, text.substring(0, start) + replacement + text.substring(end), previous);
        }

        private Result insertAt(int at, String insertion, String previous) {
            return new Result(true, text.substring(0, at) + insertion + text.substring(at), previous);
        }

        private Scalar keyOf(Mapping m, String key) {
            return m.entries().stream()
                    .map(e -> e.key())
                    .filter(k -> k instanceof Scalar s && s.value().equals(key))
                    .map(Scalar.class::cast)
                    .findFirst()
                    .orElseThrow();
        }

        /** The column (0-based) of a char offset. */
        private int column(int offset) {
            int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
            return offset - lineStart;
        }

        /** The offset just past the line break of the line holding {@code offset} (the text's end if none). */
        private int endOfLine(int offset) {
            if (offset > 0 && text.charAt(offset - 1) == '\n') {
                return offset; // the node already ends at a line start
            }
            int nl = text.indexOf('\n', offset);
            return nl < 0 ? text.length() : nl + 1;
        }

        private boolean endsWithNewline() {
            return text.endsWith("\n");
        }
    }
}
