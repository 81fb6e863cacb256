package app.parley;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.conversation.ConversationCache;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md, kept by the build: core < store < features < realtime < http < Parley, no
 * package cycles, features side by side in a fixed order, no SQL in http, and the conversations table written only
 * by the journal's commands (the conversation package), whose cache would otherwise overwrite other writes.
 */
@AnalyzeClasses(packages = "app.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] FEATURES = {"app.parley.account..", "app.parley.conversation..", "app.parley.contact..",
            "app.parley.webhook..", "app.parley.files..", "app.parley.channel.email..", "app.parley.notify..", "app.parley.tracking..",
            "app.parley.search..", "app.parley.channel.messenger..", "app.parley.settings..", "app.parley.recording..", "app.parley.push..",
            "app.parley.instance.."};

    @ArchTest
    static final ArchRule eachLayerUsesOnlyTheLayersBelowIt = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("core").definedBy("app.parley.core..")
            .layer("store").definedBy("app.parley.store..")
            .layer("features").definedBy(FEATURES)
            .layer("realtime").definedBy("app.parley.realtime..")
            .layer("http").definedBy("app.parley.http..")
            // ops (issue #15, point 8): metrics and readiness, infrastructure over store that http serves and root wires.
            .layer("ops").definedBy("app.parley.ops..")
            .layer("root").definedBy("app.parley")
            .whereLayer("root").mayNotBeAccessedByAnyLayer()
            .whereLayer("ops").mayOnlyBeAccessedByLayers("http", "root")
            .whereLayer("http").mayOnlyBeAccessedByLayers("root")
            .whereLayer("realtime").mayOnlyBeAccessedByLayers("http", "root")
            .whereLayer("features").mayOnlyBeAccessedByLayers("realtime", "http", "root")
            .whereLayer("store").mayOnlyBeAccessedByLayers("features", "realtime", "http", "root", "ops")
            .whereLayer("core").mayOnlyBeAccessedByLayers("store", "features", "realtime", "http", "root", "ops");

    @ArchTest
    static final ArchRule storeAndCoreImportNoFeature = noClasses().that().resideInAnyPackage("app.parley.core..", "app.parley.store..")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES);

    @ArchTest
    static final ArchRule opsUsesOnlyStoreAndCore = noClasses().that().resideInAPackage("app.parley.ops..")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
            .orShould().dependOnClassesThat().resideInAnyPackage("app.parley.realtime..", "app.parley.http..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("app.parley.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule featuresImportNeitherHttpNorRealtime = noClasses().that().resideInAnyPackage(FEATURES)
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.http..", "app.parley.realtime..");

    // account -> conversation -> contact, webhook last: a feature uses only those before it.
    @ArchTest
    static final ArchRule accountUsesNoOtherFeature = noClasses().that().resideInAPackage("app.parley.account..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.conversation..", "app.parley.contact..",
                    "app.parley.webhook..");

    @ArchTest
    static final ArchRule conversationUsesOnlyAccount = noClasses().that().resideInAPackage("app.parley.conversation..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.contact..", "app.parley.webhook..");

    @ArchTest
    static final ArchRule contactDoesNotUseWebhooks = noClasses().that().resideInAPackage("app.parley.contact..")
            .should().dependOnClassesThat().resideInAPackage("app.parley.webhook..");

    // The email channel and the notifications come after the features they use, and nothing before uses them.
    @ArchTest
    static final ArchRule earlierFeaturesDoNotUseEmailOrNotifications = noClasses().that()
            .resideInAnyPackage("app.parley.account..", "app.parley.conversation..", "app.parley.contact..", "app.parley.webhook..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.channel.email..", "app.parley.notify..");

    @ArchTest
    static final ArchRule emailUsesNeitherWebhooksNorNotifications = noClasses().that().resideInAPackage("app.parley.channel.email..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.webhook..", "app.parley.notify..");

    @ArchTest
    static final ArchRule notificationsUseNeitherWebhooksNorEmailChannel = noClasses().that().resideInAPackage("app.parley.notify..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.webhook..", "app.parley.channel.email..");
    // tracking (issue #11) sits beside webhook: it may use account, conversation and contact; no feature uses it.
    @ArchTest
    static final ArchRule trackingUsesNoOtherNewFeature = noClasses().that().resideInAPackage("app.parley.tracking..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.webhook..");

    @ArchTest
    static final ArchRule noFeatureUsesTracking = noClasses().that().resideInAnyPackage("app.parley.account..",
                    "app.parley.conversation..", "app.parley.contact..", "app.parley.webhook..")
            .should().dependOnClassesThat().resideInAPackage("app.parley.tracking..");
    // search (issue #14) reads account, conversation and contact; no other feature uses it.
    @ArchTest
    static final ArchRule searchUsesOnlyEarlierFeatures = noClasses().that().resideInAPackage("app.parley.search..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.webhook..");

    @ArchTest
    static final ArchRule noFeatureUsesSearch = noClasses().that().resideInAnyPackage("app.parley.account..",
                    "app.parley.conversation..", "app.parley.contact..", "app.parley.webhook..")
            .should().dependOnClassesThat().resideInAPackage("app.parley.search..");
    // Messenger comes after account, conversation and contact; no other feature uses it, and it uses no webhook.
    @ArchTest
    static final ArchRule messengerUsesNoWebhooks = noClasses().that().resideInAPackage("app.parley.channel.messenger..")
            .should().dependOnClassesThat().resideInAPackage("app.parley.webhook..");

    @ArchTest
    static final ArchRule noFeatureUsesMessenger = noClasses().that().resideInAnyPackage("app.parley.account..",
                    "app.parley.conversation..", "app.parley.contact..", "app.parley.webhook..")
            .should().dependOnClassesThat().resideInAPackage("app.parley.channel.messenger..");
    // settings (issue #18) builds on account only; files, when it comes, on conversation and account.
    @ArchTest
    static final ArchRule settingsUsesOnlyAccount = noClasses().that().resideInAPackage("app.parley.settings..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.conversation..", "app.parley.contact..",
                    "app.parley.webhook..", "app.parley.files..");

    // files (issue #18 point 7) is the one store of conversation files: it builds on account, conversation and
    // contact, and the channels (email, Messenger) keep and send their files through it, so it uses none of them.
    @ArchTest
    static final ArchRule filesUsesOnlyEarlierFeatures = noClasses().that().resideInAPackage("app.parley.files..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.webhook..", "app.parley.channel..",
                    "app.parley.notify..", "app.parley.tracking..", "app.parley.search..", "app.parley.settings..");

    @ArchTest
    static final ArchRule earlierFeaturesDoNotUseFiles = noClasses().that()
            .resideInAnyPackage("app.parley.account..", "app.parley.conversation..", "app.parley.contact..", "app.parley.webhook..")
            .should().dependOnClassesThat().resideInAPackage("app.parley.files..");
    // recording (issue #16) uses account, conversation, contact and tracking; no other feature uses it.
    @ArchTest
    static final ArchRule noFeatureUsesRecording = noClasses().that().resideInAnyPackage("app.parley.account..",
                    "app.parley.conversation..", "app.parley.contact..", "app.parley.webhook..", "app.parley.tracking..",
                    "app.parley.search..", "app.parley.notify..", "app.parley.channel..", "app.parley.settings..")
            .should().dependOnClassesThat().resideInAPackage("app.parley.recording..");

    @ArchTest
    static final ArchRule recordingUsesNoLaterFeature = noClasses().that().resideInAPackage("app.parley.recording..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.webhook..", "app.parley.search..",
                    "app.parley.notify..", "app.parley.channel..", "app.parley.settings..");
    // push (issue #17) comes after notify, whose decisions it reuses; no feature uses it, and it uses no other new feature.
    @ArchTest
    static final ArchRule noFeatureUsesPush = noClasses().that().resideInAnyPackage(FEATURES).and().resideOutsideOfPackage("app.parley.push..")
            .should().dependOnClassesThat().resideInAPackage("app.parley.push..");

    @ArchTest
    static final ArchRule pushUsesOnlyEarlierFeaturesAndNotify = noClasses().that().resideInAPackage("app.parley.push..")
            .should().dependOnClassesThat().resideInAnyPackage("app.parley.webhook..", "app.parley.channel..", "app.parley.tracking..",
                    "app.parley.search..", "app.parley.settings..", "app.parley.files..");

    // instance (issue #15 point 7) administers whole accounts through account only; no feature uses it.
    @ArchTest
    static final ArchRule noFeatureUsesInstance = noClasses().that().resideInAnyPackage(FEATURES).and().resideOutsideOfPackage("app.parley.instance..")
            .should().dependOnClassesThat().resideInAPackage("app.parley.instance..");

    @ArchTest
    static final ArchRule instanceUsesOnlyAccount = noClasses().that().resideInAPackage("app.parley.instance..")
            .should().dependOnClassesThat().resideInAnyPackage(java.util.Arrays.stream(FEATURES)
                    .filter(f -> !f.equals("app.parley.account..") && !f.equals("app.parley.instance..")).toArray(String[]::new));

    @ArchTest
    static final ArchRule httpRunsNoSql = noClasses().that().resideInAPackage("app.parley.http..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "javax.sql..");

    @ArchTest
    static final ArchRule coreKnowsNothingOfTheWebOrSql = noClasses().that().resideInAPackage("app.parley.core..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..",
                    "org.jdbi..", "java.sql..", "javax.sql..");

    // The journal's cache of committed conversation rows is only true while nothing else changes them.
    @ArchTest
    static final ArchRule onlyConversationAndStoreUseTheConversationCache = noClasses()
            .that().resideOutsideOfPackages("app.parley.conversation..", "app.parley.store..")
            .should().dependOnClassesThat().belongToAnyOf(ConversationCache.class);

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern WRITES_CONVERSATIONS =
            Pattern.compile("(?i)\\b(UPDATE\\s+conversations|INSERT\\s+INTO\\s+conversations|DELETE\\s+FROM\\s+conversations)\\b");

    /** ArchUnit sees no string constants: SQL that writes the conversations table is looked for in the sources. */
    @Test
    void onlyTheConversationPackageHoldsSqlThatWritesConversations() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String rel = MAIN.relativize(file).toString().replace('\\', '/');
                if (rel.startsWith("app/parley/conversation/")) continue;
                String code = Files.readString(file);
                Matcher m = WRITES_CONVERSATIONS.matcher(code);
                while (m.find()) found.add(rel + ":" + (code.substring(0, m.start()).split("\n", -1).length) + " " + m.group());
            }
        }
        assertThat(found).as("SQL writing conversations outside app/parley/conversation").isEmpty();
    }

    @Test
    void theSourceScanFindsWhatItLooksFor() {
        assertThat(WRITES_CONVERSATIONS.matcher("h.createUpdate(\"update  conversations SET x = 1\")").find()).isTrue();
        assertThat(WRITES_CONVERSATIONS.matcher("INSERT INTO conversations_archive").find()).isFalse();
    }
}
