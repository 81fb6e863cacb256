package app.parley.ui.dashboard;
import app.parley.ui.Browsers;
import org.junit.jupiter.api.Test;
class ScratchMockTest {
  @Test void mock() {
    try (var ctx = Browsers.newContext()) {
      var p = ctx.newPage();
      p.onConsoleMessage(m -> System.out.println("CONSOLE " + m.type() + " " + m.text()));
      p.onPageError(e -> System.out.println("PAGEERROR " + e));
      p.navigate("http://localhost:8377/?x#/conversations/all/100");
      p.getByText("Pick a conversation").or(p.locator(".thread-head")).first().waitFor();
      p.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Assign")).click();
      Browsers.screenshot(p, "mock-assign");
      p.keyboard().press("Escape");
      p.locator(".thread-actions").getByText("Tags").click();
      p.getByPlaceholder("Find or create a tag").fill("Refund");
      Browsers.screenshot(p, "mock-tags");
      p.keyboard().press("Escape");
      p.getByRole(com.microsoft.playwright.options.AriaRole.RADIO, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Note")).click();
      p.getByLabel("Note for agents").fill("Checking with the warehouse");
      p.locator(".conv-row").nth(2).hover();
      Browsers.screenshot(p, "mock-note");
      p.navigate("http://localhost:8377/?many#/conversations/all");
      p.locator(".conv-row").first().waitFor();
      long t0 = System.currentTimeMillis();
      for (int i = 0; i < 40; i++) { p.locator(".list-scroll").evaluate("e => e.scrollTop = e.scrollHeight"); p.waitForTimeout(120); }
      System.out.println("ROWS IN DOM " + p.locator(".conv-row").count() + " loaded height " + p.locator(".conv-list").evaluate("e=>e.style.height") + " ms " + (System.currentTimeMillis()-t0));
      Browsers.screenshot(p, "mock-many");
    }
  }
}
