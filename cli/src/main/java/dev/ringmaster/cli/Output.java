package dev.ringmaster.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Prints what the API answered: as a table (people), or as JSON or YAML (scripts: exactly the API's document). */
public final class Output {

    /** The formats of {@code -o}. */
    public enum Format {
        table,
        json,
        yaml,
        dot
    }

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private Output() {}

    /** JSON or YAML of {@code data}; false when the format is {@code table} (the caller prints its table). */
    public static boolean document(PrintWriter out, Format format, JsonNode data) {
        try {
            switch (format) {
                case json -> out.println(PRETTY.writeValueAsString(data));
                case yaml -> out.print(YAML.writeValueAsString(data));
                case dot -> throw new ApiException(ExitCodes.USAGE, "-o dot is for 'app map' only");
                default -> {
                    return false;
                }
            }
            out.flush();
            return true;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
