package app.parley.channel.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplyWindowTest {
    private static final Instant LAST = Instant.parse("2026-11-20T14:40:03.118Z");

    @Test
    void anyReplyWithin24Hours() {
        assertThat(ReplyWindow.at(LAST, LAST.plus(Duration.ofHours(24)), true)).isEqualTo(ReplyWindow.RESPONSE);
        assertThat(ReplyWindow.at(LAST, LAST.plus(Duration.ofHours(23)), false)).isEqualTo(ReplyWindow.RESPONSE);
    }

    @Test
    void aPersonsReplyTaggedUpTo7DaysButNeverAnAutomaticOne() {
        Instant later = LAST.plus(Duration.ofHours(25));
        assertThat(ReplyWindow.at(LAST, later, true)).isEqualTo(ReplyWindow.HUMAN_AGENT);
        assertThat(ReplyWindow.at(LAST, later, false)).isEqualTo(ReplyWindow.CLOSED);
        assertThat(ReplyWindow.at(LAST, LAST.plus(Duration.ofDays(7)), true)).isEqualTo(ReplyWindow.HUMAN_AGENT);
        assertThat(ReplyWindow.closesAt(LAST, later, true)).isEqualTo(LAST.plus(Duration.ofDays(7)));
    }

    @Test
    void nothingAfter7DaysOrWithoutAMessage() {
        assertThat(ReplyWindow.at(LAST, LAST.plus(Duration.ofDays(7)).plusMillis(1), true)).isEqualTo(ReplyWindow.CLOSED);
        assertThat(ReplyWindow.at(null, LAST, true)).isEqualTo(ReplyWindow.CLOSED);
        assertThat(ReplyWindow.closesAt(LAST, LAST.plus(Duration.ofDays(8)), true)).isNull();
    }
}
