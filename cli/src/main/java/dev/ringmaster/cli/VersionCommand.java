package dev.ringmaster.cli;

import picocli.CommandLine.Command;

@Command(name = "version", description = "ringctl's version and the server it talks to.")
class VersionCommand extends Leaf {
    @Override
    Integer run() {
        String server = root().resolveServer();
        String reachable;
        try {
            api().get("/applications");
            reachable = "reachable";
        } catch (ApiException e) {
            reachable = "not reachable: " + e.getMessage();
        }
        var doc = Api.JSON
                .createObjectNode()
                .put("client", Ringctl.VERSION)
                .put("server", server)
                .put("status", reachable);
        return done(doc, "ringctl " + Ringctl.VERSION + "\nserver " + server + " (" + reachable + ")");
    }
}
