// The build failed; it must have failed at the baseline, on the package whose method was removed.
def log = new File(basedir, 'build.log').text
assert log.contains('Baseline problems detected') : 'the build did not fail at the baseline'
def report = new File(basedir, 'target/baseline').listFiles().find { it.name.endsWith('.txt') }.text
assert report =~ /(?m)^\* io\.tagbridge\.api\s+PACKAGE\s+MAJOR\s+2\.0\.0\s+2\.0\.0\s+3\.0\.0/ :
        'the baseline did not demand a major version for io.tagbridge.api'
assert report =~ /REMOVED\s+METHOD\s+offer\(java\.util\.List\)/ : 'the report does not name the removed method'
return true
