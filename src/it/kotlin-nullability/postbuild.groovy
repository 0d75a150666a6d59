// The build failed (invoker.properties): now check why. The Kotlin compiler must have rejected
// exactly the lines of Misuse.kt marked "// expect: <message>", each with that message, and no
// other line. Each mark is a use of plex-auth that compiles only if the compiler did not read the
// library's nullability (a platform type accepts anything), and each unmarked line one that
// compiles only if it did (null passed where the library allows it).
def source = new File(basedir, 'src/main/kotlin/example/nullability/Misuse.kt')
def expected = [:]
source.readLines().eachWithIndex { line, index ->
  def mark = line =~ /\/\/ expect: (.+)$/
  if (mark.find()) {
    expected[index + 1] = mark.group(1).trim()
  }
}
assert expected.size() >= 8 : "Misuse.kt lost its marks: ${expected}"

// kotlin-maven-plugin prints each error as "[ERROR] file:///.../Misuse.kt:LINE:COLUMN Message."
// (once while compiling, once in the failure summary).
def reported = [:].withDefault { [] as Set }
new File(basedir, 'build.log').eachLine { line ->
  def error = line =~ /^\[ERROR\] \S*\/Misuse\.kt:(\d+):\d+ (.*?)\.?$/
  if (error.find()) {
    reported[error.group(1) as int] << error.group(2)
  }
}
def problems = []
expected.each { line, message ->
  if (!reported.containsKey(line)) {
    problems << "Misuse.kt:${line} compiled, but must fail with: ${message}"
  } else if (!reported[line].contains(message)) {
    problems << "Misuse.kt:${line} failed with ${reported[line]}, expected: ${message}"
  }
}
(reported.keySet() - expected.keySet()).each { line ->
  problems << "Misuse.kt:${line} must compile, but failed with ${reported[line]}"
}
assert problems.isEmpty() : problems.join('\n')
println "kotlin-nullability: the compiler rejected exactly the ${expected.size()} marked lines"
return true
