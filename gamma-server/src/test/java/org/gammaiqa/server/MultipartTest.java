package org.gammaiqa.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multipart parser on well-formed and hostile bodies. */
class MultipartTest {
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void partsWithFilesFieldsQuotedParametersAndBinaryContent() throws Exception {
        String body = "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a;b \\\"c\\\".png\"\r\n"
                + "Content-Type: image/png\r\n\r\n\u0000\r\n--\u00ff\r\n--b\r\nContent-Disposition: form-data; name=seed\r\n\r\n42\r\n--b--\r\n";
        List<Multipart.Part> parts = Multipart.parse(bytes(body), Multipart.boundary("multipart/form-data; boundary=\"b\""), 8);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).filename()).isEqualTo("a;b \"c\".png");
        assertThat(parts.get(0).contentType()).isEqualTo("image/png");
        assertThat(parts.get(0).body()).containsExactly(bytes("\u0000\r\n--\u00ff"));
        assertThat(parts.get(1).name()).isEqualTo("seed");
        assertThat(parts.get(1).filename()).isNull();
        assertThat(parts.get(1).text()).isEqualTo("42");
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> Multipart.boundary("multipart/form-data")).hasMessageContaining("no valid boundary");
        assertThatThrownBy(() -> Multipart.parse(bytes("no boundary here"), "b", 8)).hasMessageContaining("does not contain");
        assertThatThrownBy(() -> Multipart.parse(bytes("--b\r\nContent-Disposition: form-data; name=x\r\n\r\nopen"), "b", 8))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Multipart.parse(bytes("--b\r\nX: y\r\n\r\nv\r\n--b--"), "b", 8))
                .hasMessageContaining("no Content-Disposition name");
        String many = "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n".repeat(3) + "--b--";
        assertThatThrownBy(() -> Multipart.parse(bytes(many), "b", 2)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status).isEqualTo(413));
    }

    @Test
    void searchFindsOverlappingPrefixes() {
        assertThat(Multipart.indexOf(bytes("aaab"), bytes("aab"), 0)).isEqualTo(1);
        assertThat(Multipart.indexOf(bytes("abababca"), bytes("ababca"), 0)).isEqualTo(2);
        assertThat(Multipart.indexOf(bytes("\r\n-\r\n--b"), bytes("\r\n--b"), 0)).isEqualTo(3);
        assertThat(Multipart.indexOf(bytes("xxb"), bytes("b"), 3)).isEqualTo(-1);
    }
}
