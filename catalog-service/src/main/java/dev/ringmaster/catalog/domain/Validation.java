package dev.ringmaster.catalog.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects every problem of a request before anything is stored, so that one answer lists them all. Pure.
 *
 * <p>Grammars: names are DNS-1123 labels (as Kubernetes object names); versions are OCI tags; repository URLs are
 * https, ssh (also {@code user@host:path}) or file URLs with no password or token in them.
 */
public final class Validation {

    public static final int MAX_RING = 999;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern OCI_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._/~-]+");
    private static final Pattern REPO_PATH = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Pattern VERSION_PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern BRANCH_CHARS = Pattern.compile("[A-Za-z0-9._/-]+");

    private final List<Map<String, String>> errors = new ArrayList<>();

    /** A field that must be present. Returns whether it is. */
    public boolean required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            add(field, "is required");
            return false;
        }
        return true;
    }

    /** A name of an application, service or cluster: a DNS-1123 label (lower case, digits, '-', at most 63). */
    public Validation name(String field, String value) {
        if (required(field, value) && !DNS_LABEL.matcher(value).matches()) {
            add(
                    field,
                    "must be a DNS-1123 label: at most 63 characters of a-z, 0-9 and '-', starting and ending"
                            + " with a letter or digit");
        }
        return this;
    }

    /** A Kubernetes object name (DNS-1123 subdomain, at most 253). */
    public Validation objectName(String field, String value) {
        if (required(field, value)
                && (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches())) {
            add(field, "must be a DNS-1123 subdomain: at most 253 characters of a-z, 0-9, '-' and '.'");
        }
        return this;
    }

    /** A version: an OCI image tag (at most 128 of A-Z a-z 0-9 _ . -, not starting with . or -). */
    public Validation version(String field, String value) {
        if (required(field, value) && !OCI_TAG.matcher(value).matches()) {
            add(
                    field,
                    "must be an OCI tag: at most 128 characters of A-Z, a-z, 0-9, '_', '.' and '-',"
                            + " not starting with '.' or '-'");
        }
        return this;
    }

    /** A ring: 0 to {@value #MAX_RING}. */
    public Validation ring(String field, Integer value) {
        if (required(field, value) && (value < 0 || value > MAX_RING)) {
            add(field, "must be between 0 and " + MAX_RING);
        }
        return this;
    }

    /** A Git repository URL without credentials. */
    public Validation repoUrl(String field, String value) {
        if (!required(field, value)) {
            return this;
        }
        if (value.length() > 2048) {
            add(field, "is longer than 2048 characters");
            return this;
        }
        if (SCP_LIKE.matcher(value).matches()) {
            return this; // git@github.com:org/repo.git: the user is a login name, not a secret
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            add(field, "is not a URL: " + e.getReason());
            return this;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        switch (scheme) {
            case "https", "http" -> {
                if (uri.getHost() == null) {
                    add(field, "must name a host");
                } else if (uri.getRawUserInfo() != null) {
                    add(field, "must not hold credentials: configure them in git-committer instead");
                }
            }
            case "ssh" -> {
                if (uri.getHost() == null) {
                    add(field, "must name a host");
                } else if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
                    add(field, "must not hold a password: configure SSH keys in git-committer instead");
                }
            }
            case "file" -> {
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    add(field, "must name a path");
                }
            }
            default -> add(field, "must be an https, ssh or file URL (or user@host:path)");
        }
        return this;
    }

    /** A Git branch name, by the rules of git check-ref-format that matter here. */
    public Validation branch(String field, String value) {
        if (!required(field, value)) {
            return this;
        }
        if (value.length() > 255
                || !BRANCH_CHARS.matcher(value).matches()
                || value.startsWith("-")
                || value.startsWith("/")
                || value.endsWith("/")
                || value.endsWith(".")
                || value.endsWith(".lock")
                || value.contains("..")
                || value.contains("//")
                || value.contains("/.")) {
            add(field, "must be a valid Git branch name (A-Z, a-z, 0-9, '.', '_', '-', '/'; no '..')");
        }
        return this;
    }

    /** A folder inside a repository: relative, no '..' segment. "." is the root. */
    public Validation repoPath(String field, String value) {
        if (!required(field, value)) {
            return this;
        }
        boolean ok = value.equals(".")
                || (value.length() <= 1024
                        && REPO_PATH.matcher(value).matches()
                        && List.of(value.split("/")).stream().noneMatch(s -> s.equals("..") || s.equals(".")));
        if (!ok) {
            add(field, "must be '.' or a relative folder (A-Z, a-z, 0-9, '.', '_', '-' and '/'), without '..'");
        }
        return this;
    }

    /** A dotted path into fleet.yaml, e.g. {@code helm.values.image.tag}. */
    public Validation versionPath(String field, String value) {
        if (required(field, value)
                && (value.length() > 255 || !VERSION_PATH.matcher(value).matches())) {
            add(field, "must be a dotted path of keys, e.g. helm.values.image.tag");
        }
        return this;
    }

    /** A Kubernetes label key: an optional DNS subdomain prefix and '/', then a name of at most 63. */
    public Validation labelKey(String field, String value) {
        if (!required(field, value)) {
            return this;
        }
        int slash = value.indexOf('/');
        String prefix = slash < 0 ? null : value.substring(0, slash);
        String name = slash < 0 ? value : value.substring(slash + 1);
        boolean ok = LABEL_NAME.matcher(name).matches()
                && (prefix == null
                        || (prefix.length() <= 253
                                && DNS_SUBDOMAIN.matcher(prefix).matches()));
        if (!ok) {
            add(field, "must be a Kubernetes label key, e.g. ring or example.com/ring");
        }
        return this;
    }

    /** The name pattern of a ring's targetCustomization: holds {n} once, and is a name with any ring put in. */
    public Validation customizationPattern(String field, String value) {
        if (!required(field, value)) {
            return this;
        }
        int first = value.indexOf("{n}");
        if (first < 0 || value.indexOf("{n}", first + 1) >= 0) {
            add(field, "must contain {n} (the ring number) exactly once, e.g. ring-{n}");
        } else if (!DNS_LABEL
                .matcher(value.replace("{n}", String.valueOf(MAX_RING)))
                .matches()) {
            add(field, "must give a DNS-1123 label once {n} is replaced by a ring number");
        }
        return this;
    }

    /** Free text of at most {@code max} characters, without control characters. */
    public Validation text(String field, String value, int max) {
        if (value != null
                && (value.length() > max || value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n'))) {
            add(field, "must be at most " + max + " characters, without control characters");
        }
        return this;
    }

    /** Records a problem with a field. */
    public Validation add(String field, String message) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("field", field);
        e.put("message", message);
        errors.add(e);
        return this;
    }

    /** The problems found so far. */
    public List<Map<String, String>> errors() {
        return List.copyOf(errors);
    }

    /** Throws {@link CatalogException.Invalid} listing every problem, if there is any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            String summary = errors.size() == 1
                    ? errors.get(0).get("field") + " " + errors.get(0).get("message")
                    : errors.size() + " fields are invalid";
            throw new CatalogException.Invalid(summary, Map.of("errors", errors()));
        }
    }
}
