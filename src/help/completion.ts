import type { Command } from 'commander';
import { completionTree, TOPIC_WORDS, type CompletionNode, type Values } from './tree.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** A word list as one shell word, single-quoted. */
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** How a shell function names a set of values: words, or @file, @slugs, @orgs, @help. */
function token(v: Values | undefined): string {
  if (!v) return '';
  if ('words' in v) return v.words.join(' ');
  if ('file' in v) return '@file';
  if ('help' in v) return '@help';
  return `@${v.dynamic}`;
}

/** The case arms of a shell function of the path (and more), one a line. */
function arms(entries: Array<[string, string]>): string {
  return entries.map(([key, words]) => `    ${quote(key)}) echo ${quote(words)} ;;`).join('\n');
}

function bashData(nodes: CompletionNode[]): string {
  const subs = nodes.filter((n) => n.subcommands.length).map((n): [string, string] => [n.path, n.subcommands.join(' ')]);
  const opts = nodes.map((n): [string, string] => [n.path, n.options.flatMap((o) => o.names).join(' ')]);
  const valued: Array<[string, string]> = [];
  const values: Array<[string, string]> = [];
  for (const n of nodes) {
    const takes = n.options.filter((o) => o.values);
    if (takes.length) valued.push([n.path, takes.flatMap((o) => o.names).join(' ')]);
    for (const o of [...takes, ...(n.path ? n.globals : [])]) for (const name of o.names) if (o.values && !('none' in o.values)) values.push([`${n.path}|${name}`, token(o.values)]);
  }
  const args: Array<[string, string]> = [];
  for (const n of nodes) {
    n.args.forEach((a, i) => a && args.push([`${n.path}|${i}`, token(a)]));
    const last = n.args.at(-1);
    if (n.variadic && last) args.push([`${n.path}|more`, token(last)]);
  }
  return `# The commander tree of consort ${'' /* keeps the template readable */}as case statements.
_consort_subcommands() {
  case "$1" in
${arms(subs)}
  esac
}
_consort_options() {
  case "$1" in
${arms(opts)}
  esac
}
_consort_valued() {
  case "$1" in
${arms(valued)}
  esac
}
_consort_values() {
  case "$1" in
${arms(values)}
  esac
}
_consort_arg() {
  case "$1" in
${arms(args)}
  esac
}
_consort_topics() { echo ${quote(TOPIC_WORDS.join(' '))}; }`;
}

/** The bash function (also used by zsh through bashcompinit). */
function bashFunction(nodes: CompletionNode[]): string {
  return `${bashData(nodes)}

# Does option $2 take a value under command path $1 (or as a global option)?
_consort_takes_value() {
  local w
  for w in $(_consort_valued "$1") $(_consort_valued ''); do [[ $w == "$2" ]] && return 0; done
  return 1
}

# Names from the database: never fails loudly, never creates a database.
_consort_dynamic() {
  "\${COMP_WORDS[0]}" __complete "$1" "\${_consort_db[@]}" 2>/dev/null
}

_consort() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path='' i w prev words line
  local -a pos=() _consort_db=()
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    case $w in
      --db) _consort_db=(--db "\${COMP_WORDS[i + 1]}"); ((i++)); continue ;;
      --db=*) _consort_db=(--db "\${w#--db=}"); continue ;;
      --*=*) continue ;;
      -*) _consort_takes_value "$path" "$w" && ((i++)); continue ;;
    esac
    if [[ \${#pos[@]} -eq 0 && " $(_consort_subcommands "$path") " == *" $w "* ]]; then
      path=\${path:+$path }$w
    else
      pos+=("$w")
    fi
  done
  prev=''
  ((COMP_CWORD > 1)) && prev=\${COMP_WORDS[COMP_CWORD - 1]}
  if [[ $prev == -* && $prev != *=* ]] && _consort_takes_value "$path" "$prev"; then
    words=$(_consort_values "$path|$prev")
    [[ -z $words ]] && words=$(_consort_values "|$prev")
    [[ -z $words ]] && return 0
  elif [[ $cur == -* ]]; then
    words="$(_consort_options "$path") $(_consort_options '')"
  elif [[ \${#pos[@]} -eq 0 && -n $(_consort_subcommands "$path") ]]; then
    words=$(_consort_subcommands "$path")
  else
    words=$(_consort_arg "$path|\${#pos[@]}")
    [[ -z $words ]] && words=$(_consort_arg "$path|more")
  fi
  case $words in
    @file)
      local IFS=$'\\n'
      COMPREPLY=($(compgen -f -- "$cur"))
      ;;
    @help)
      local sub=''
      for w in "\${pos[@]}"; do sub=\${sub:+$sub }$w; done
      if [[ -z $sub ]]; then words="$(_consort_subcommands '') $(_consort_topics)"; else words=$(_consort_subcommands "$sub"); fi
      COMPREPLY=($(compgen -W "$words" -- "$cur"))
      ;;
    @slugs | @orgs)
      while IFS= read -r line; do
        [[ $line == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$line")")
      done < <(_consort_dynamic "\${words#@}")
      ;;
    *) COMPREPLY=($(compgen -W "$words" -- "$cur")) ;;
  esac
  return 0
}`;
}

function bash(nodes: CompletionNode[]): string {
  return `# bash completion for consort, built from its commands by \`consort completion bash\`.
# Load it in ~/.bashrc:  source <(consort completion bash)
${bashFunction(nodes)}
complete -F _consort consort
`;
}

function zsh(nodes: CompletionNode[]): string {
  return `#compdef consort
# zsh completion for consort, built from its commands by \`consort completion zsh\`.
# Load it in ~/.zshrc:  source <(consort completion zsh)
# (or save it as _consort in a directory of $fpath). It runs the bash completion
# function through zsh's bashcompinit, so both shells offer the same words.
autoload -U +X bashcompinit && bashcompinit
${bashFunction(nodes)}
complete -F _consort consort
`;
}

function fish(nodes: CompletionNode[]): string {
  const q = quote;
  const lines: string[] = [];
  const subsOf = nodes.filter((n) => n.subcommands.length);
  lines.push(`# fish completion for consort, built from its commands by \`consort completion fish\`.
# Load it:  consort completion fish > ~/.config/fish/completions/consort.fish

# The command path typed so far (e.g. "member add"), and how many arguments follow it.
function __consort_path
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path ''
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case '--*=*'
                continue
            case '-*'
                if contains -- $t (__consort_valued "$path") (__consort_valued '')
                    set skip 1
                end
                continue
        end
        if contains -- $t (__consort_subcommands "$path")
            set path (string trim -- "$path $t")
        else
            break
        end
    end
    echo $path
end

function __consort_at
    test (__consort_path) = "$argv[1]"
end

function __consort_subcommands
    switch $argv[1]
${subsOf.map((n) => `        case ${q(n.path)}\n            string split ' ' -- ${q(n.subcommands.join(' '))}`).join('\n')}
    end
end

function __consort_valued
    switch $argv[1]
${nodes
  .filter((n) => n.options.some((o) => o.values))
  .map((n) => `        case ${q(n.path)}\n            string split ' ' -- ${q(n.options.filter((o) => o.values).flatMap((o) => o.names).join(' '))}`)
  .join('\n')}
    end
end

function __consort_db
    set -l tokens (commandline -opc)
    set -l i (contains -i -- --db $tokens)
    and echo --db $tokens[(math $i + 1)]
end

complete -c consort -f`);
  const valueArgs = (v: Values | undefined, path: string): string => {
    if (!v) return '';
    if ('words' in v) return ` -a ${q(v.words.join(' '))}`;
    if ('file' in v) return ' -F';
    if ('help' in v) return ` -a ${q([...(nodes[0]?.subcommands ?? []), ...TOPIC_WORDS].join(' '))}`;
    void path;
    return ` -a '(consort __complete ${v.dynamic} (__consort_db) 2>/dev/null)'`;
  };
  for (const n of nodes) {
    const cond = `-n ${q(`__consort_at ${q(n.path)}`)}`;
    if (n.subcommands.length) lines.push(`complete -c consort ${cond} -a ${q(n.subcommands.join(' '))}`);
    else for (const a of n.args.slice(0, 1)) if (a) lines.push(`complete -c consort ${cond}${valueArgs(a, n.path)}`);
    const global = n.path === '' ? '' : cond;
    for (const o of n.options) {
      const short = o.names.find((x) => /^-[^-]$/.test(x));
      const long = o.names.find((x) => x.startsWith('--'));
      const flags = `${short ? ` -s ${short.slice(1)}` : ''}${long ? ` -l ${long.slice(2)}` : ''}`;
      const takes = o.values ? ('none' in o.values ? ' -r' : ` -r${valueArgs(o.values, n.path)}`) : '';
      lines.push(`complete -c consort ${global}${flags}${takes}`.replace(/  +/g, ' '));
    }
  }
  return lines.join('\n') + '\n';
}

/** The completion script for a shell, built from the commander tree. */
export function completionScript(program: Command, shell: Shell): string {
  const nodes = completionTree(program);
  return shell === 'bash' ? bash(nodes) : shell === 'zsh' ? zsh(nodes) : fish(nodes);
}
