# Shared by scripts/bench and scripts/ab-demo (sourced, not run). Run from the repository root.

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

# Builds the jars with Maven when a jar is missing or a source or pom is newer than it.
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
    echo "Building ($stale): ./mvnw -B -q -DskipTests package" >&2
    ./mvnw -B -q -DskipTests package >&2
  fi
}
