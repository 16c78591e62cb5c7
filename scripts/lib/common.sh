# Shared by scripts/bench, scripts/ab, scripts/ab-netty and scripts/ab-demo (sourced, not run).
# build_if_stale runs from the repository root.

# Prints the path of a java >= 22: $JAVA_HOME first, then the JDKs under /usr/lib/jvm.
find_java() {
  local candidate version
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    version=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 22 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "error: no JDK 22 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*); install one (we test on 25) or set JAVA_HOME to it" >&2
  return 1
}

# Builds the jars with Maven when a jar is missing or a source or pom is newer than it, with a
# progress line per module (a first build downloads Maven and the dependencies: a minute or more).
build_if_stale() {
  local jar=benchmarks/target/benchmarks.jar stale=""
  if [ ! -f "$jar" ]; then
    stale="$jar is missing"
  elif [ -d agent/src ] && [ ! -f agent/target/emma-agent.jar ]; then
    stale="agent/target/emma-agent.jar is missing"
  else
    local newer
    newer=$(find pom.xml core agent benchmarks -newer "$jar" -type f \( -path '*/src/main/*' -o -name pom.xml \) 2>/dev/null | head -1)
    [ -n "$newer" ] && stale="$newer changed since the last build"
  fi
  if [ -n "$stale" ]; then
    echo "Building the agent and the benchmarks jar ($stale): ./mvnw -B -DskipTests package" >&2
    local log status
    log=$(mktemp)
    # One line per module as Maven reaches it; the whole output only if the build fails.
    set +e
    ./mvnw -B -DskipTests package 2>&1 | tee "$log" \
      | sed -un -e 's/^\[INFO\] Building \(Emma [^[]*[^ []\) *\(\[[0-9]*\/[0-9]*\]\)$/  \2 \1/p' \
                -e '0,/Downloading from/s/.*Downloading from.*/  downloading Maven dependencies (first build).../p' >&2
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -ne 0 ]; then
      tail -40 "$log" >&2
      echo "error: the build failed (full log: $log)" >&2
      return 1
    fi
    rm -f "$log"
  fi
}

# Installs the Debian packages given that are missing (apt-get, with sudo when not root), saying so.
# Returns 1 when they cannot be installed; the caller says what that costs.
install_missing_packages() {
  local missing=() pkg sudo=""
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing ${missing[*]} with apt-get" >&2
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  local log
  log=$(mktemp)
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    tail -20 "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}
