package app.parley.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerInfoTest {
    @Test
    void onlyAbsoluteHttpAddressesAreLinks() {
        assertThat(CustomerInfo.isLink("https://shop.example/customers/42?tab=orders")).isTrue();
        assertThat(CustomerInfo.isLink("http://shop.example")).isTrue();
        for (String not : List.of("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x</b>", "//shop.example/x",
                "/customers/42", "https://", " https://shop.example", "https://shop.example/a b", "mailto:a@b.c", "ftp://x.y")) {
            assertThat(CustomerInfo.isLink(not)).as(not).isFalse();
        }
    }

    @Test
    void legacyLabelsAndFlatKeysBothGiveTypedFields() {
        List<CustomerInfo.Field> fields = CustomerInfo.of("""
                {"orders":{"label":"orders","value":3},"ltv":{"label":"Lifetime value","value":12.5},
                 "vip":{"label":"vip","value":true},"old":"flat text","none":{"label":"","value":null}}""");
        assertThat(fields).containsExactly(
                new CustomerInfo.Field("orders", "orders", CustomerInfo.Type.NUMBER, 3),
                new CustomerInfo.Field("ltv", "Lifetime value", CustomerInfo.Type.NUMBER, 12.5),
                new CustomerInfo.Field("vip", "vip", CustomerInfo.Type.BOOLEAN, true),
                new CustomerInfo.Field("old", "old", CustomerInfo.Type.TEXT, "flat text"),
                new CustomerInfo.Field("none", "none", CustomerInfo.Type.TEXT, null));
    }
}
