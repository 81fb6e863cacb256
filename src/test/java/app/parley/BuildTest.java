package app.parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a newcomer meets with the README's two commands (issue #9, "Also"): the right JDK, or a sentence saying so. */
class BuildTest {
    private static final Path JVMS = Path.of("/usr/lib/jvm");

    @Test
    void aBuildOnAJdkOlderThan21StopsWithASentenceThatSaysWhatToInstall() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<requireJavaVersion>").contains("<version>[21,)</version>");
        Optional<Path> old = olderJdk();
        // Debian's default JDK on these machines is 17; where no older JDK is installed the pom's rule above is what
        // can be checked.
        if (old.isEmpty()) return;
        ProcessBuilder pb = new ProcessBuilder("./mvnw", "-q", "-o", "validate").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", old.get().toString());
        pb.environment().put("PATH", old.get().resolve("bin") + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("maven finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("Parley needs a JDK 21 or newer").contains("JAVA_HOME").doesNotContain("release version");
    }

    @Test
    void theReadmeRunsTheJarOnTheJdkThatBuiltIt() throws IOException {
        // ./mvnw runs on $JAVA_HOME when it is set, else on the java of PATH: the run command must choose alike, or a
        // JAVA_HOME of 21 with a java 17 first on PATH builds fine and then fails with a class-version error.
        String readme = Files.readString(Path.of("README.md"));
        Matcher quickStart = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(quickStart.find()).isTrue();
        assertThat(quickStart.group(1)).contains("./mvnw -q package -DskipTests && ${JAVA_HOME:+$JAVA_HOME/bin/}java -jar target/parley.jar")
                .contains("./mvnw test");
        assertThat(Files.readString(Path.of(".ci/run"))).contains("./mvnw -B test");
    }

    @Test
    void theJarOnAJavaOlderThan21SaysWhatToInstallInOneLine() throws Exception {
        // The jar's Main-Class is compiled for Java 8 (class file version 52), so every java can load it and say why
        // it cannot go on, where Parley's own classes would die with an UnsupportedClassVersionError.
        byte[] launcher = Files.readAllBytes(Path.of("target/classes/app/parley/Launcher.class"));
        assertThat(((launcher[6] & 0xff) << 8) | (launcher[7] & 0xff)).isEqualTo(52);
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<mainClass>app.parley.Launcher</mainClass>");
        assertThat(Launcher.major("1.8")).isEqualTo(8);
        assertThat(Launcher.major("17")).isEqualTo(17);
        assertThat(Launcher.major("25")).isEqualTo(25);
        Optional<Path> old = olderJdk();
        if (old.isEmpty()) return;
        Process p = new ProcessBuilder(old.get().resolve("bin/java").toString(), "-cp", "target/classes", "app.parley.Launcher")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(out).startsWith("Parley cannot start: it needs Java 21 or newer, and this is Java ")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    private static Optional<Path> olderJdk() throws IOException {
        if (!Files.isDirectory(JVMS)) return Optional.empty();
        try (Stream<Path> jdks = Files.list(JVMS)) {
            return jdks.filter(j -> Files.isExecutable(j.resolve("bin/java")) && Files.isExecutable(j.resolve("bin/javac")))
                    .filter(j -> major(j) > 0 && major(j) < 21).min(Comparator.comparing(Path::toString));
        }
    }

    private static int major(Path jdk) {
        try {
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(jdk.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
