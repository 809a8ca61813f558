package farm.render.coordinator.frames;

import javax.imageio.ImageIO;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A visible mark across a frame: diagonal stripes of text a crop cannot remove without losing the picture. */
final class Watermark {
    private Watermark() {
    }

    static byte[] apply(byte[] png, String text) {
        try {
            BufferedImage frame = ImageIO.read(new ByteArrayInputStream(png));
            BufferedImage out = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            try {
                g.drawImage(frame, 0, 0, null);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                int size = Math.max(8, Math.min(frame.getWidth(), frame.getHeight()) / 6);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
                g.rotate(-Math.PI / 6, frame.getWidth() / 2.0, frame.getHeight() / 2.0);
                int step = (int) (size * 2.2);
                int reach = frame.getWidth() + frame.getHeight();
                for (int y = -reach; y < reach; y += step) {
                    for (int x = -reach; x < reach; x += g.getFontMetrics().stringWidth(text) + size) {
                        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.45f));
                        g.setColor(Color.BLACK);
                        g.setStroke(new BasicStroke(1));
                        g.drawString(text, x + 1, y + 1);
                        g.setColor(Color.WHITE);
                        g.drawString(text, x, y);
                    }
                }
            } finally {
                g.dispose();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(out, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watermark a frame", e);
        }
    }
}
