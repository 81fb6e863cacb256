package app.parley.ui.chatbox;

import app.parley.testing.TestParley;
import com.microsoft.playwright.BrowserContext;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh Parley per test (its own database), its owner signed in (online unless told otherwise), a desktop browser. */
abstract class ChatBoxTestBase {
    TestParley app;
    TestParley.Api owner;
    BrowserContext context;

    /** Whether the owner is online when the test starts (the chat box is offline otherwise). */
    boolean ownerOnline() {
        return true;
    }

    @BeforeEach
    void start() {
        app = TestParley.start();
        owner = app.owner();
        if (ownerOnline()) owner.patch("/auth/me", Map.of("status", "online"));
        context = ChatBox.desktop();
    }

    @AfterEach
    void stop() {
        context.close();
        app.close();
    }
}
