package dev.ringmaster.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "completion",
        description = {
            "Shell completion for bash and zsh.",
            "  bash: source <(./ringctl completion bash)",
            "  zsh:  autoload -U +X compinit && compinit; autoload -U +X bashcompinit && bashcompinit;"
                    + " source <(./ringctl completion zsh)"
        })
class CompletionCommand extends Leaf {

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Override
    Integer run() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new ApiException(ExitCodes.USAGE, "completion is generated for bash and zsh, not " + shell);
        }
        // picocli's script serves both: zsh runs it through bashcompinit.
        out().print(AutoComplete.bash("ringctl", spec.root().commandLine()));
        out().flush();
        return ExitCodes.OK;
    }
}
