package app.parley.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The visible text of each shared reply fixture after quote and signature trimming, as its README states
 * ("may end with" boilerplate allowed), plus the kind of each automatic mail and the bounce's facts. No database:
 * the pipeline through SMTP and IMAP is {@link InboundMailTest}.
 */
class MailReaderTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            01 | Hi Petra, Thanks, the tracking link works now. Could you also send me the invoice as a PDF? I need it for my expense report. Jane |
            02 | Hi Petra, Thanks a lot. The parcel arrived this morning, but the lid of the teapot is cracked. Could you send me a replacement lid, or should I return the whole teapot? Best regards, Jane |
            03 | Hello again, I forgot to ask: will the replacement lid also be sent for free, or do I have to pay for shipping this time? Jane |
            04 | One more thing: if I'm not at home, could the courier leave the parcel with my neighbour at no. 12? Thanks, Jane |
            05 | Thanks Petra – that’s great news! I’ll keep an eye on the tracking page. Jane |
            06 | Perfect, thank you! I will be at home on Monday, so the courier can deliver it any time. | -- Jane Cooper +44 20 7946 0958
            07 | Got it, thanks! Will the courier call me before the delivery? | Sent from my iPhone
            08 | Bonjour Petra, Merci beaucoup ! Je préfère la livraison en point relais, au Relais Colis de la rue Oberkampf si possible. Cordialement, Camille |
            09 | Hola, Petra: A un punto de recogida, por favor. El de la calle Alcalá 120 me viene perfecto. Gracias, Lucía |
            10 | The parcel is here, but one of the two blue mugs is missing. Can you send it separately? Jane | Get Outlook for Android
            11 | Here is a photo of the cracked lid, as you asked. Jane |
            12 | Hi Petra, Different topic: do you offer gift wrapping? I would like to order the green teapot as a present for my sister next week. Jane |
            """)
    void aReplyShowsOnlyWhatTheVisitorWrote(String fixture, String expected, String mayEndWith) {
        ParsedMail mail = MailReader.read(MailFixtures.raw(fixture + "-"));
        assertThat(mail.kind()).isEqualTo(ParsedMail.Kind.PERSONAL);
        String text = MailFixtures.visible(mail.text());
        if (mayEndWith != null && text.endsWith(mayEndWith)) text = text.substring(0, text.length() - mayEndWith.length()).strip();
        assertThat(text).isEqualTo(expected);
    }

    @Test
    void aForwardKeepsWhatTheForwarderWrote() {
        ParsedMail mail = MailReader.read(MailFixtures.raw("13-"));
        assertThat(MailFixtures.visible(mail.text())).startsWith("Hello, I'm Jane's colleague and I handle the invoices for our "
                + "office. Could you issue the invoice for order #1042 to our company, Cooper & Lee Ltd, VAT number "
                + "GB123456789? Jane forwarded me your message, see below. Thanks, Mark Lee");
        assertThat(mail.fromAddress()).isEqualTo("mark.lee@example.org");
        assertThat(mail.fromName()).isEqualTo("Mark Lee");
    }

    @Test
    void autoRepliesAreAutomatic() {
        assertThat(MailReader.read(MailFixtures.raw("14-")).kind()).isEqualTo(ParsedMail.Kind.AUTOMATIC);
        assertThat(MailReader.read(MailFixtures.raw("15-")).kind()).isEqualTo(ParsedMail.Kind.AUTOMATIC);
    }

    @Test
    void aDeliveryReportNamesTheFailedMailAndWhy() {
        ParsedMail mail = MailReader.read(MailFixtures.raw("16-"));
        assertThat(mail.kind()).isEqualTo(ParsedMail.Kind.BOUNCE);
        assertThat(mail.bounce().originalMessageId()).isEqualTo("<conversation/t5u8vb/messages/1@parley.example>");
        assertThat(mail.bounce().failed()).isTrue();
        assertThat(mail.bounce().reason()).contains("5.1.1").containsIgnoringCase("user unknown");
    }

    @Test
    void theAttachmentIsReadWhole() {
        ParsedMail mail = MailReader.read(MailFixtures.raw("11-"));
        assertThat(mail.attachments()).singleElement().satisfies(a -> {
            assertThat(a.filename()).isEqualTo("cracked-lid.png");
            assertThat(a.contentType()).isEqualTo("image/png");
            assertThat(a.size()).isEqualTo(177);
            assertThat(a.sha256()).isEqualTo("32fcdb49a387df51fc3ae4cf4f3edfd2086160fe15107a4360a56c82b63c4281");
        });
    }

    @Test
    void localisedAttributionsAndOutlookBlocksAreCut() {
        for (String quote : new String[] {
                "Am Fr., 20. Nov. 2026 um 15:14 Uhr schrieb Petra Novak <support@shop.example>:",
                "Dne pá 20. 11. 2026 v 15:14 odesílatel Petra Novak <support@shop.example> napsal:",
                "Von: Petra Novak <support@shop.example>\nGesendet: Freitag, 20. November 2026 14:14",
                "De : Petra Novak <support@shop.example>\nEnvoyé : vendredi 20 novembre 2026 14:14",
                "Od: Petra Novak <support@shop.example>\nOdesláno: pátek 20. listopadu 2026 14:14",
                "-----Original Message-----"}) {
            String mail = "Danke, Jane\n\n" + quote + "\n> Hello Jane,\nquoted history\n";
            assertThat(QuoteTrimmer.trim(mail)).as(quote).isEqualTo("Danke, Jane");
        }
    }

    @Test
    void htmlBecomesTextNeverMarkup() {
        String text = HtmlText.of("<p>Hi <b>there</b><img src=x onerror=alert(1)></p><script>alert(2)</script><p>Bye</p>");
        assertThat(text).isEqualTo("Hi there\nBye");
    }
}
