package io.imagehub.cli;

import io.imagehub.api.ActionDescription;
import io.imagehub.api.ActionDescription.Member;
import io.imagehub.api.ActionRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion bash|zsh}: a script built from the registry (actions and their parameters) and from the
 * commands' own options, so it completes what this build answers. Regions and image ids are asked of the
 * service when they are completed (the profile's endpoint and credentials), at most 100 images.
 */
@Command(name = "completion", description = {"Print a shell completion script for bash or zsh.",
        "source <(imagehub completion bash), or for zsh: source <(imagehub completion zsh)."})
public final class CompletionCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Spec
    CommandSpec spec;

    CompletionCommand() {
        this(CliContext.system());
    }

    CompletionCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    int run() {
        String script = switch (shell) {
            case "bash" -> bash();
            case "zsh" -> "#compdef imagehub\nautoload -U +X bashcompinit && bashcompinit\n" + bash();
            default -> throw CliException.usage("completion is for bash or zsh, not `" + shell + "`");
        };
        ctx.out().print(script);
        return ExitCodes.OK;
    }

    private String bash() {
        CommandLine root = spec.commandLine().getParent();
        Map<String, CommandLine> commands = root.getSubcommands();
        List<ActionDescription> actions = ActionRegistry.catalogue().descriptions();
        StringBuilder sb = new StringBuilder("# imagehub completion (bash): source <(imagehub completion bash)\n");
        sb.append("_imagehub_commands=").append(quote(String.join(" ", commands.keySet()))).append('\n');
        sb.append("_imagehub_actions=").append(quote(actions.stream().map(ActionDescription::name)
                .collect(Collectors.joining(" ")))).append('\n');
        for (ActionDescription a : actions) {
            sb.append("_imagehub_params_").append(a.name()).append('=').append(quote(a.members().stream()
                    .map(Member::name).map(m -> "--" + m).collect(Collectors.joining(" ")))).append('\n');
        }
        for (Map.Entry<String, CommandLine> command : commands.entrySet()) {
            sb.append("_imagehub_sub_").append(variable(command.getKey())).append('=')
                    .append(quote(String.join(" ", command.getValue().getSubcommands().keySet()))).append('\n');
            sb.append("_imagehub_opts_").append(variable(command.getKey())).append('=')
                    .append(quote(options(command.getValue()))).append('\n');
            for (Map.Entry<String, CommandLine> sub : command.getValue().getSubcommands().entrySet()) {
                sb.append("_imagehub_opts_").append(variable(command.getKey())).append('_')
                        .append(variable(sub.getKey())).append('=').append(quote(options(sub.getValue()))).append('\n');
            }
        }
        sb.append("_imagehub_waiters=").append(quote(java.util.Arrays.stream(Waiters.Condition.values())
                .map(c -> c.command).collect(Collectors.joining(" ")))).append('\n');
        sb.append("""
                _imagehub_ask() {
                  local i args=()
                  for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
                    case "${COMP_WORDS[i]}" in
                      --region|--profile|--endpoint|--secretId|--secretKey) args+=("${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}");;
                    esac
                  done
                  "${COMP_WORDS[0]}" cvm "$@" "${args[@]}" --output text 2>/dev/null
                }
                _imagehub() {
                  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
                  local cmd="${COMP_WORDS[1]}" words
                  case "$prev" in
                    --output) COMPREPLY=($(compgen -W "json table text" -- "$cur")); return;;
                    --region) COMPREPLY=($(compgen -W "$(_imagehub_ask DescribeRegions --filter 'RegionSet[].Region')" -- "$cur")); return;;
                    --ImageId|--image-id) COMPREPLY=($(compgen -W "$(_imagehub_ask DescribeImages --Limit 100 --filter 'ImageSet[].ImageId')" -- "$cur")); return;;
                    --InstanceId|--instance-id) COMPREPLY=($(compgen -W "$(_imagehub_ask DescribeInstances --Limit 100 --filter 'InstanceSet[].InstanceId')" -- "$cur")); return;;
                  esac
                  if [ "$COMP_CWORD" -eq 1 ]; then
                    COMPREPLY=($(compgen -W "$_imagehub_commands" -- "$cur")); return
                  fi
                  local sub="_imagehub_sub_${cmd//-/_}" opts="_imagehub_opts_${cmd//-/_}"
                  if [ "$cmd" = cvm ]; then
                    if [ "$COMP_CWORD" -eq 2 ]; then words="$_imagehub_actions"
                    else local params="_imagehub_params_${COMP_WORDS[2]}"; words="${!params} ${!opts}"; fi
                  elif [ "$cmd" = wait ] && [ "$COMP_CWORD" -eq 2 ]; then words="$_imagehub_waiters"
                  elif [ "$cmd" = completion ] && [ "$COMP_CWORD" -eq 2 ]; then words="bash zsh"
                  elif [ -n "${!sub}" ] && [ "$COMP_CWORD" -eq 2 ]; then words="${!sub}"
                  elif [ -n "${!sub}" ]; then local subopts="${opts}_${COMP_WORDS[2]//-/_}"; words="${!subopts}"
                  else words="${!opts}"; fi
                  COMPREPLY=($(compgen -W "$words" -- "$cur"))
                }
                complete -o default -F _imagehub imagehub
                """);
        return sb.toString();
    }

    private static String options(CommandLine command) {
        TreeSet<String> names = new TreeSet<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            names.add(option.longestName());
        }
        return String.join(" ", names);
    }

    private static String variable(String name) {
        return name.replace('-', '_');
    }

    private static String quote(String words) {
        return "'" + words.replace("'", "") + "'";
    }
}
