package app.parley.channel.messenger;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for connected pages. Secrets leave this class only inside {@link Credentials}, never in a {@link Page}. */
final class Pages {
    /** A page as admins see it: no secret. */
    record Page(String pageId, String pageName, String pictureUrl, String appId, String status, String lastError,
                OffsetDateTime connectedAt) {}

    /** What Parley needs to act for a page; never rendered. */
    record Credentials(String pageId, long accountId, String appId, String appSecret, String token, String status) {}

    // The picture Parley serves (Meta's CDN URL expires): its own path when one was kept.
    private static final String PAGE = """
            SELECT page_id, page_name,
                   CASE WHEN picture IS NULL THEN NULL ELSE '/v2/channels/messenger/pages/' || page_id || '/picture' END,
                   app_id, status, last_error, created_at FROM messenger_pages""";

    private Pages() {}

    static List<Page> ofAccount(Handle h, long accountId) {
        return h.createQuery(PAGE + " WHERE account_id = :a ORDER BY created_at, page_id").bind("a", accountId)
                .map((rs, ctx) -> page(rs)).list();
    }

    static Optional<Page> page(Handle h, long accountId, String pageId) {
        return h.createQuery(PAGE + " WHERE account_id = :a AND page_id = :p").bind("a", accountId).bind("p", pageId)
                .map((rs, ctx) -> page(rs)).findOne();
    }

    static Optional<Credentials> credentials(Handle h, String pageId) {
        return h.createQuery("SELECT page_id, account_id, app_id, app_secret, page_access_token, status FROM messenger_pages WHERE page_id = :p")
                .bind("p", pageId)
                .map((rs, ctx) -> new Credentials(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)))
                .findOne();
    }

    static List<String> appSecrets(Handle h) {
        return h.createQuery("SELECT DISTINCT app_secret FROM messenger_pages").mapTo(String.class).list();
    }

    static List<String> verifyTokens(Handle h) {
        return h.createQuery("SELECT DISTINCT verify_token FROM messenger_pages").mapTo(String.class).list();
    }

    /** Connects a page, or reconnects it with new secrets; a page belongs to one account. False: another account has it. */
    static boolean save(Handle h, long accountId, String appId, String appSecret, String verifyToken, String pageId,
                        String token, String name, String pictureUrl, byte[] picture, String pictureType) {
        return h.createUpdate("""
                        INSERT INTO messenger_pages (page_id, account_id, app_id, app_secret, verify_token, page_access_token,
                                                     page_name, picture_url, picture, picture_type)
                        VALUES (:p, :a, :app, :secret, :verify, :token, :name, :pic, :bytes, :type)
                        ON CONFLICT (page_id) DO UPDATE SET app_id = :app, app_secret = :secret, verify_token = :verify,
                            page_access_token = :token, page_name = :name, picture_url = :pic, picture = :bytes,
                            picture_type = :type, status = 'connected',
                            last_error = NULL, admins_told_at = NULL, updated_at = now()
                        WHERE messenger_pages.account_id = :a""")
                .bind("p", pageId).bind("a", accountId).bind("app", appId).bind("secret", appSecret)
                .bind("verify", verifyToken).bind("token", token).bind("name", name).bind("pic", pictureUrl)
                .bind("bytes", picture).bind("type", pictureType).execute() == 1;
    }

    static boolean delete(Handle h, long accountId, String pageId) {
        return h.createUpdate("DELETE FROM messenger_pages WHERE account_id = :a AND page_id = :p")
                .bind("a", accountId).bind("p", pageId).execute() == 1;
    }

    /**
     * Graph said the token is no longer valid (error 190): the page waits for an admin. True only the first time
     * since it was last connected: the admins are told once, not on every failed reply.
     */
    static boolean needsReconnect(Handle h, String pageId, String error) {
        return h.createUpdate("""
                        UPDATE messenger_pages SET status = 'reconnect', last_error = :e, admins_told_at = now(), updated_at = now()
                        WHERE page_id = :p AND admins_told_at IS NULL""")
                .bind("p", pageId).bind("e", error).execute() == 1;
    }

    private static Page page(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Page(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getObject(7, OffsetDateTime.class));
    }
}
