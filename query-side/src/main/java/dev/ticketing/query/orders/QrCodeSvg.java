package dev.ticketing.query.orders;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;

import java.util.Map;

/**
 * A QR code as SVG: zxing chooses the modules, this draws them. One path of unit squares in a
 * viewBox of modules, so the image scales to any size without blurring.
 */
final class QrCodeSvg {

    /** The margin the QR specification asks for, so scanners find the finder patterns. */
    static final int QUIET_ZONE = 4;

    private QrCodeSvg() {
    }

    /** @param title what the image is, for screen readers */
    static String of(String text, String title) {
        ByteMatrix modules = encode(text);
        int size = modules.getWidth() + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < modules.getHeight(); y++) {
            for (int x = 0; x < modules.getWidth(); x++) {
                if (modules.get(x, y) == 1) {
                    path.append('M').append(x + QUIET_ZONE).append(',').append(y + QUIET_ZONE).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
                + "\" shape-rendering=\"crispEdges\" role=\"img\">"
                + "<title>" + escapeXml(title) + "</title>"
                + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#ffffff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000000\"/>"
                + "</svg>\n";
    }

    private static ByteMatrix encode(String text) {
        try {
            // UTF-8 only matters for byte mode; zxing then announces it with an ECI
            return Encoder.encode(text, ErrorCorrectionLevel.M, Map.of(EncodeHintType.CHARACTER_SET, "UTF-8"))
                    .getMatrix();
        } catch (WriterException e) {
            throw new IllegalArgumentException("Cannot encode " + text.length() + " characters as a QR code", e);
        }
    }

    private static String escapeXml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
