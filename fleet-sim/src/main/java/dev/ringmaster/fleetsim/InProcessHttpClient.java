package dev.ringmaster.fleetsim;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpClient;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.fabric8.kubernetes.client.http.StandardHttpHeaders;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.http.StandardWebSocketBuilder;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fabric8 HTTP client that hands each request straight to the API server's dispatcher in this process: the same
 * store, the same watch events to every watcher (fleet-watcher's among them, over its real connection), the same
 * JSON in and out, but no sockets, no HTTP codec and no event-loop hops. The simulator's own controller and agents
 * use it; everyone else reaches the API server over HTTP.
 *
 * <p>Why: at 10,000 clusters the simulator writes each BundleDeployment and its status once per service, and the HTTP
 * round trip (client and server halves, both in this process) was most of what those writes cost.
 *
 * <p>Plain requests only: a watch (WebSocket) is refused; the simulator does not watch its own objects.
 */
final class InProcessHttpClient
        extends StandardHttpClient<InProcessHttpClient, InProcessHttpClient.Factory, InProcessHttpClient.Builder> {

    private final Dispatcher dispatcher;

    private InProcessHttpClient(Builder builder, AtomicBoolean closed, Dispatcher dispatcher) {
        super(builder, closed);
        this.dispatcher = dispatcher;
    }

    @Override
    public CompletableFuture<HttpResponse<AsyncBody>> consumeBytesDirect(
            StandardHttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        try {
            MockResponse answer = dispatcher.dispatch(recorded(request));
            if (answer.getWebSocketListener() != null) {
                throw new UnsupportedOperationException("the in-process client does not watch: " + request.uri());
            }
            Buffer body = answer.getBody();
            byte[] bytes = body == null ? new byte[0] : body.getBytes();
            return CompletableFuture.completedFuture(
                    new Response(answer.code(), answer.getHeaders().toMultimap(), new Body(bytes, consumer), request));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static RecordedRequest recorded(StandardHttpRequest request) throws IOException {
        URI uri = request.uri();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        Headers.Builder headers = Headers.builder();
        request.headers().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        if (request.getContentType() != null) {
            headers.set("Content-Type", request.getContentType());
        }
        return new RecordedRequest(
                "HTTP/1.1", HttpMethod.valueOf(request.method()), path, headers.build(), new Buffer(bytes(request)));
    }

    private static byte[] bytes(StandardHttpRequest request) throws IOException {
        StandardHttpRequest.BodyContent content = request.body();
        if (content instanceof StandardHttpRequest.StringBodyContent s) {
            return s.getContent().getBytes(StandardCharsets.UTF_8);
        } else if (content instanceof StandardHttpRequest.ByteArrayBodyContent b) {
            return b.getContent();
        } else if (content instanceof StandardHttpRequest.InputStreamBodyContent in) {
            try (InputStream s = in.getContent()) {
                return s.readAllBytes();
            }
        }
        return new byte[0];
    }

    @Override
    public CompletableFuture<WebSocketResponse> buildWebSocketDirect(
            StandardWebSocketBuilder builder, WebSocket.Listener listener) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("the in-process client does not open WebSockets"));
    }

    @Override
    protected void doClose() {
        // nothing held
    }

    /** The whole answer in one piece, handed over on the first {@link #consume()}. */
    private static final class Body implements AsyncBody {
        private final byte[] bytes;
        private final AsyncBody.Consumer<List<ByteBuffer>> consumer;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AtomicBoolean started = new AtomicBoolean();

        Body(byte[] bytes, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            this.bytes = bytes;
            this.consumer = consumer;
        }

        @Override
        public void consume() {
            if (!started.compareAndSet(false, true)) {
                return; // the consumer asking for more while it takes the one piece there is
            }
            try {
                if (bytes.length > 0) {
                    consumer.consume(List.of(ByteBuffer.wrap(bytes)), this);
                }
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        @Override
        public void cancel() {
            done.cancel(false);
        }
    }

    private static final class Response extends StandardHttpHeaders implements HttpResponse<AsyncBody> {
        private final int code;
        private final AsyncBody body;
        private final HttpRequest request;

        Response(int code, Map<String, List<String>> headers, AsyncBody body, HttpRequest request) {
            super(headers);
            this.code = code;
            this.body = body;
            this.request = request;
        }

        @Override
        public int code() {
            return code;
        }

        @Override
        public AsyncBody body() {
            return body;
        }

        @Override
        public HttpRequest request() {
            return request;
        }

        @Override
        public Optional<HttpResponse<?>> previousResponse() {
            return Optional.empty();
        }
    }

    /** Makes clients that dispatch to {@code dispatcher}. */
    static final class Factory implements HttpClient.Factory {
        private final Dispatcher dispatcher;

        Factory(Dispatcher dispatcher) {
            this.dispatcher = dispatcher;
        }

        @Override
        public Builder newBuilder() {
            return new Builder(this);
        }
    }

    static final class Builder extends StandardHttpClientBuilder<InProcessHttpClient, Factory, Builder> {

        Builder(Factory factory) {
            super(factory);
        }

        @Override
        protected Builder newInstance(Factory factory) {
            return new Builder(factory);
        }

        @Override
        public InProcessHttpClient build() {
            AtomicBoolean closed = client != null ? client.getClosed() : new AtomicBoolean();
            return new InProcessHttpClient(this, closed, clientFactory.dispatcher);
        }
    }
}
