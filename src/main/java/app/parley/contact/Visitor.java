package app.parley.contact;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.OffsetDateTime;

/** A browser identity on the shop's site (docs/PRODUCT.md §3); the visitor card shows it. */
public record Visitor(
        long id,
        @JsonIgnore long accountId,
        @JsonIgnore String visitorKey,
        Long contactId,
        String name,
        String email,
        String phone,
        String note,
        String language,
        String groupKey,
        @JsonRawValue String variables,
        String userAgent,
        String ip,
        String currentUrl,
        String currentTitle,
        String referrer,
        int visits,
        boolean blocked,
        OffsetDateTime firstSeenAt,
        OffsetDateTime lastSeenAt,
        /** Whether the visitor's contact is a verified identity (signed by the shop), not just what someone typed. */
        boolean verified) {}
