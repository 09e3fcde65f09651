package dev.ringmaster.fleetsim;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * fabric8's CRUD dispatcher with its store indexed by resource, namespace and name.
 *
 * <p>The stock dispatcher keeps every object in one map and answers each request by matching the request against
 * every stored object: O(objects) per GET, PUT, PATCH or DELETE, so a controller pass over N clusters costs O(N²). At
 * 1,000 clusters × 10 bundles that was most of the simulator's CPU. Here the store is an {@link Index}: the same
 * fabric8 handlers run unchanged (validation, resource versions, status subresource, finalizers, watch events), but
 * while a request is being handled the store offers them only the objects that can match its resource, namespace and
 * name (a superset; fabric8's own matching still decides), so a GET by name costs a few map lookups. Lists come back
 * sorted by namespace and name, as a real API server's do.
 *
 * <p>The base class creates its store itself ({@code CrudDispatcher.map}, final); it is swapped once, at construction,
 * for the index. That reaches into fabric8's internals, so {@code IndexedCrudDispatcherTest} pins the behaviour this
 * relies on.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

    private final Index index = new Index();

    IndexedCrudDispatcher(List<CustomResourceDefinitionContext> crds) {
        super(crds);
        try {
            Field map = CrudDispatcher.class.getDeclaredField("map");
            map.setAccessible(true);
            map.set(this, index);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8's CrudDispatcher no longer has the store this index replaces", e);
        }
    }

    @Override
    public MockResponse handleGet(String path) {
        return index.narrowedTo(getKey(path), () -> super.handleGet(path));
    }

    @Override
    public MockResponse handleDelete(String path) {
        return index.narrowedTo(getKey(path), () -> super.handleDelete(path));
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        return index.narrowedTo(attributes, () -> super.findResource(attributes));
    }

    /** How many objects the store holds. */
    int size() {
        return index.size();
    }

    /**
     * The store: every object by its attribute set, plus resource → namespace → name → attribute set. While
     * {@link #narrowedTo} runs on a thread, {@link #entrySet()} on that thread holds only the candidates for the query.
     */
    static final class Index extends AbstractMap<AttributeSet, String> {

        private static final String PLURAL = "plural";
        private static final String NAMESPACE = "namespace";
        private static final String NAME = "name";
        private static final String CLUSTER_SCOPED = "";

        private final ConcurrentMap<AttributeSet, String> objects = new ConcurrentHashMap<>();
        private final ConcurrentMap<String, NavigableMap<String, NavigableMap<String, AttributeSet>>> byResource =
                new ConcurrentHashMap<>();
        private final ThreadLocal<AttributeSet> query = new ThreadLocal<>();

        <T> T narrowedTo(AttributeSet q, Supplier<T> work) {
            AttributeSet outer = query.get();
            query.set(q);
            try {
                return work.get();
            } finally {
                if (outer == null) {
                    query.remove();
                } else {
                    query.set(outer);
                }
            }
        }

        @Override
        public Set<Entry<AttributeSet, String>> entrySet() {
            AttributeSet q = query.get();
            String plural = q == null ? null : exact(q, PLURAL);
            if (plural == null) {
                return objects.entrySet(); // nothing to narrow by: fabric8's scan, as before
            }
            List<Entry<AttributeSet, String>> candidates = new ArrayList<>();
            var namespaces = byResource.get(plural);
            if (namespaces != null) {
                String namespace = exact(q, NAMESPACE);
                String name = exact(q, NAME);
                for (var names : namespace == null
                        ? namespaces.values()
                        : List.of(namespaces.getOrDefault(namespace, emptyNames()))) {
                    for (AttributeSet key : name == null
                            ? names.values()
                            : names.containsKey(name) ? List.of(names.get(name)) : List.<AttributeSet>of()) {
                        String value = objects.get(key);
                        if (value != null) {
                            candidates.add(new SimpleImmutableEntry<>(key, value));
                        }
                    }
                }
            }
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<AttributeSet, String>> iterator() {
                    return candidates.iterator();
                }

                @Override
                public int size() {
                    return candidates.size();
                }
            };
        }

        private static NavigableMap<String, AttributeSet> emptyNames() {
            return new ConcurrentSkipListMap<>();
        }

        @Override
        public String get(Object key) {
            return key == null ? null : objects.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return key != null && objects.containsKey(key);
        }

        @Override
        public int size() {
            return objects.size();
        }

        @Override
        public synchronized String put(AttributeSet key, String value) {
            String previous = objects.put(key, value);
            String plural = exact(key, PLURAL);
            String name = exact(key, NAME);
            if (plural != null && name != null) {
                String namespace = exact(key, NAMESPACE);
                byResource
                        .computeIfAbsent(plural, p -> new ConcurrentSkipListMap<>())
                        .computeIfAbsent(
                                namespace == null ? CLUSTER_SCOPED : namespace, n -> new ConcurrentSkipListMap<>())
                        .put(name, key);
            }
            return previous;
        }

        @Override
        public synchronized String remove(Object key) {
            if (key == null) {
                return null; // fabric8 removes the "old" key of a create, which has none
            }
            String previous = objects.remove(key);
            if (previous != null && key instanceof AttributeSet set) {
                String plural = exact(set, PLURAL);
                String name = exact(set, NAME);
                if (plural != null && name != null) {
                    String namespace = exact(set, NAMESPACE);
                    var namespaces = byResource.get(plural);
                    var names =
                            namespaces == null ? null : namespaces.get(namespace == null ? CLUSTER_SCOPED : namespace);
                    if (names != null) {
                        names.remove(name, set);
                    }
                }
            }
            return previous;
        }

        @Override
        public synchronized void clear() {
            objects.clear();
            byResource.clear();
        }

        /** The attribute's single value when the set requires exactly that value; null when it does not narrow. */
        static String exact(AttributeSet set, String key) {
            Attribute a = set.getAttribute(key);
            if (a == null || a.getType() != AttributeType.WITH || a.getValues().size() != 1) {
                return null;
            }
            String v = a.getValues().get(0).toString();
            return "*".equals(v) ? null : v;
        }
    }
}
