package farm.render.worker.daemon;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SceneCacheLimitTest {
    @Test
    void scenesBeyondTheLimitEvictTheLeastRecentlyUsedAndARecentlyUsedOneSurvives() {
        ByteLru<String> cache = new ByteLru<>(100);
        cache.put("a", "scene a", 40);
        cache.put("b", "scene b", 40);
        assertThat(cache.get("a")).contains("scene a"); // a is now the most recently used

        cache.put("c", "scene c", 40);

        assertThat(cache.contains("a")).isTrue();
        assertThat(cache.contains("b")).isFalse();
        assertThat(cache.contains("c")).isTrue();
        assertThat(cache.bytes()).isEqualTo(80);
    }

    @Test
    void aSceneLargerThanTheWholeLimitIsNotKeptAndEvictsNothing() {
        ByteLru<String> cache = new ByteLru<>(100);
        cache.put("a", "scene a", 60);

        assertThat(cache.put("huge", "huge scene", 101)).isFalse();

        assertThat(cache.contains("huge")).isFalse();
        assertThat(cache.contains("a")).isTrue();
    }

    @Test
    void sizesTakeTheUsualSuffixes() {
        assertThat(ByteSize.parse("--cache-bytes", "512M")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("--cache-bytes", "2G")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("--cache-bytes", "2gb")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("--cache-bytes", "4096")).isEqualTo(4096);
        assertThatThrownBy(() -> ByteSize.parse("--cache-bytes", "lots"))
                .hasMessageContaining("--cache-bytes takes a positive size such as 512M or 2G");
        assertThatThrownBy(() -> ByteSize.parse("--cache-bytes", "0")).isInstanceOf(IllegalArgumentException.class);
    }
}
