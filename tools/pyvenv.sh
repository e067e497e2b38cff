#!/bin/sh
# The Python of `make venv`, found the way a newcomer would want (issue 23):
#
#   sh tools/pyvenv.sh find      print the interpreter to use: $PYTHON if set, else the first of
#                                python3.11, python3.12, python3.13, python3 whose version satisfies
#                                pyproject.toml's requires-python; else say in one French line
#                                which Python to install, and exit 1
#   sh tools/pyvenv.sh venv DIR  make sure DIR is a venv of a suitable Python: one that another
#                                interpreter made (PYTHON given, and of another version), whose
#                                python no longer runs, or whose version no longer satisfies
#                                requires-python is removed and made again (its pip install then
#                                runs again: DIR/.installed goes with it)
#
# DIR/.python records the version (major.minor) of the interpreter that made the venv; venvs
# made before it was recorded are read from their pyvenv.cfg.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
spec=$(sed -n 's/^requires-python *= *"\([^"]*\)".*/\1/p' "$root/pyproject.toml" | head -n 1)

# "3.11.2" for the interpreter $1, nothing (and a failure) when it is missing or does not run.
version_of() {
    "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null
}

# Whether the version $1 satisfies the specifier $2: comma-separated PEP 440 clauses on release
# numbers (>= > <= < == != ~=, « X.Y », « X.Y.Z », « X.Y.* »), which is what requires-python holds.
satisfies() {
    awk -v have="$1" -v spec="$2" '
        function num(s,   p, n) { n = split(s, p, "."); return p[1] * 1000000 + p[2] * 1000 + (n >= 3 ? p[3] : 0) }
        BEGIN {
            split(have, h, "."); v = num(have); n = split(spec, clauses, ",")
            for (i = 1; i <= n; i++) {
                c = clauses[i]; gsub(/[ \t]/, "", c)
                if (c == "") continue
                if (!match(c, /^(~=|==|!=|<=|>=|<|>)/)) exit 2
                op = substr(c, 1, RLENGTH); w = substr(c, RLENGTH + 1)
                if (w ~ /\.\*$/) {
                    k = split(substr(w, 1, length(w) - 2), p, "."); same = 1
                    for (j = 1; j <= k; j++) if (p[j] + 0 != h[j] + 0) same = 0
                    ok = (op == "==") ? same : (op == "!=") ? !same : 0
                } else if (op == ">=") ok = v >= num(w)
                else if (op == ">") ok = v > num(w)
                else if (op == "<=") ok = v <= num(w)
                else if (op == "<") ok = v < num(w)
                else if (op == "==") ok = v == num(w)
                else if (op == "!=") ok = v != num(w)
                else { k = split(w, p, "."); ok = v >= num(w) && p[1] == h[1] && (k < 3 || p[2] == h[2]) }
                if (!ok) exit 1
            }
            exit 0
        }'
}

# The first Python 3 minor version the specifier admits: the one to install.
to_install() {
    minor=8
    while [ "$minor" -le 40 ]; do
        if satisfies "3.$minor.99" "$spec" || satisfies "3.$minor.0" "$spec"; then
            echo "3.$minor"
            return
        fi
        minor=$((minor + 1))
    done
    echo "3"
}

find_python() {
    candidates=${PYTHON:-python3.11 python3.12 python3.13 python3}
    tried=""
    for candidate in $candidates; do
        version=$(version_of "$candidate") || version=""
        if [ -n "$version" ] && satisfies "$version" "$spec"; then
            echo "$candidate"
            return 0
        fi
        if [ -n "$version" ]; then
            tried="$tried${tried:+, }$candidate est Python $version"
        elif [ -n "${PYTHON:-}" ]; then
            tried="$tried${tried:+, }$candidate ne se lance pas"
        fi
    done
    want=$(to_install)
    if [ -n "${PYTHON:-}" ]; then
        found="PYTHON=$PYTHON ne convient pas ($tried)"
    else
        found="aucun Python qui convienne (${tried:-ni python3.11, ni python3.12, ni python3.13, ni python3})"
    fi
    echo "make : $found ; ce projet demande Python $spec (pyproject.toml) : installez Python $want, puis relancez (ou indiquez-le : make … PYTHON=python$want)." >&2
    return 1
}

# The major.minor of the venv DIR: what DIR/.python recorded, else its pyvenv.cfg.
recorded() {
    if [ -f "$1/.python" ]; then
        cut -d . -f 1,2 "$1/.python"
    elif [ -f "$1/pyvenv.cfg" ]; then
        sed -n 's/^version\(_info\)\{0,1\} *= *\([0-9]*\.[0-9]*\).*/\2/p' "$1/pyvenv.cfg" | head -n 1
    fi
}

venv() {
    dir=$1
    if [ -n "${PYTHON:-}" ]; then
        find_python > /dev/null || return 1  # the interpreter asked for must be a suitable one
    fi
    if [ -d "$dir" ]; then
        have=$(version_of "$dir/bin/python") || have=""
        mm=$(echo "$have" | cut -d . -f 1,2)
        why=""
        if [ -z "$have" ]; then
            why="son python ne se lance pas"
        elif [ "$mm" != "$(recorded "$dir")" ]; then
            why="fait avec Python $(recorded "$dir"), son python est maintenant $mm"
        elif ! satisfies "$have" "$spec"; then
            why="Python $mm ne convient pas : ce projet demande $spec"
        elif [ -n "${PYTHON:-}" ]; then
            given=$(version_of "$PYTHON" | cut -d . -f 1,2)
            [ "$given" = "$mm" ] || why="fait avec Python $mm, PYTHON=$PYTHON est Python $given"
        fi
        if [ -z "$why" ]; then
            [ -f "$dir/.python" ] || echo "$mm" > "$dir/.python"
            return 0
        fi
        echo "make : $dir est refait ($why)." >&2
        rm -rf "$dir"
    fi
    python=$(find_python) || return 1
    echo "make : création de $dir avec $python (Python $(version_of "$python"))."
    "$python" -m venv "$dir" || return 1
    version_of "$dir/bin/python" | cut -d . -f 1,2 > "$dir/.python"
}

case "${1:-}" in
    find) find_python ;;
    venv) venv "${2:?usage: pyvenv.sh venv DIR}" ;;
    *) echo "usage: sh tools/pyvenv.sh find | venv DIR" >&2; exit 2 ;;
esac
