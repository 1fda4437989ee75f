# shellcheck shell=bash
# Helpers of the CLI tests that write generated data (tsd-gen) and compare
# it with what the data directory gives back. Source after lib.sh.
#
#   values [--short] FILE...         canonical values of line protocol, sorted
#                                    (lp-values; --short: series as a hash)
#   dump_values [--short] DIR DB [tsd-query options]
#                                    the values stored in DB, canonical, sorted
#   db_files_ok DIR         PRAGMA integrity_check says ok on every .db file
#   subset A B              every line of sorted file A is in sorted file B

values() { lp-values "$@" | LC_ALL=C sort; }

dump_values() {
  local short=
  [ "$1" = --short ] && { short=--short; shift; }
  local dir=$1 db=$2
  shift 2
  tsd-query --data "$dir" --db "$db" --dump "$@" > "$TMP/.dump.lp.all" || return 1
  sed '/^# DDL$/,/^# DML$/d' "$TMP/.dump.lp.all" > "$TMP/.dump.lp"  # the statements
  values $short "$TMP/.dump.lp"
}

db_files_ok() {
  local f n=0 r
  while IFS= read -r f; do
    r=$(sqlite3 "$f" 'PRAGMA integrity_check')
    if [ "$r" != ok ]; then
      echo "integrity_check $f: $r"
      return 1
    fi
    n=$((n + 1))
  done < <(find "$1" -name '*.db')
  [ $n -gt 0 ] || { echo "no .db file under $1"; return 1; }
  echo "integrity_check ok on $n files"
}

subset() {
  local extra
  extra=$(LC_ALL=C comm -23 "$1" "$2" | head -n 5)
  [ -z "$extra" ] && return 0
  echo "in $1 but not in $2 (first 5):"
  printf '%s\n' "$extra"
  return 1
}

# Until the storage layer has landed there is nothing to test here.
command -v tsd-write > /dev/null && command -v tsd-query > /dev/null ||
  test_skip_all "no tsd-write/tsd-query built yet"
