package farm.render.core.ledger;

import com.fasterxml.jackson.annotation.JsonIgnore;
import farm.render.core.digest.Digests;
import farm.render.core.identity.CanonicalBytes;
import farm.render.core.identity.Ed25519;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A ledger checkpoint: a signed Merkle root over the heads of the ledger's shards (each shard's entry
 * count and last hash), carrying the previous seal's hash, so seals form a chain of their own. It is
 * published where the database cannot rewrite it; an export must reach the latest seal it is checked
 * against, so a cut export fails.
 *
 * @param sequence  1 for the first seal, one more for each after it
 * @param previous  the previous seal's {@link #hash()}, {@link LedgerChain#GENESIS} for the first
 * @param sealedAt  milliseconds since the epoch, by the sealing coordinator's clock
 */
public record LedgerSeal(long sequence, List<ShardHead> shards, String root, String previous, long sealedAt,
                         String publicKey, String signature) {
    public static final String DOMAIN = "render-farm/ledger-seal/v1";

    /** One shard's chain as sealed: its entries (a count, not an id), its last entry's id and hash. */
    public record ShardHead(int shard, long entries, long lastEntryId, String head) {
    }

    public LedgerSeal {
        shards = shards == null ? List.of() : List.copyOf(shards);
    }

    /** Seals {@code shards} after {@code previous} with the ledger key. */
    public static LedgerSeal sign(long sequence, List<ShardHead> shards, String previous, long sealedAt, KeyPair ledgerKey) {
        String root = merkleRoot(shards);
        String publicKey = Ed25519.encodePublic(ledgerKey.getPublic());
        byte[] bytes = canonicalBytes(sequence, root, previous, sealedAt, publicKey);
        return new LedgerSeal(sequence, shards, root, previous, sealedAt, publicKey, Ed25519.sign(ledgerKey.getPrivate(), bytes));
    }

    /** The SHA-256 of the seal's signed bytes: what the next seal carries as {@code previous}. */
    public String hash() {
        return Digests.sha256Hex(canonicalBytes(sequence, root, previous, sealedAt, publicKey));
    }

    /** Entries sealed over all shards. */
    @JsonIgnore
    public long entries() {
        return shards.stream().mapToLong(ShardHead::entries).sum();
    }

    /** Why this seal does not hold under {@code key}; null when it does. */
    public String problem(PublicKey key) {
        if (shards.isEmpty()) {
            return "the checkpoint seals no shard";
        }
        if (!merkleRoot(shards).equals(root)) {
            return "the checkpoint's Merkle root does not match its shard heads";
        }
        if (publicKey == null || !publicKey.equals(Ed25519.encodePublic(key))) {
            return "the checkpoint names key " + publicKey + ", not the pinned ledger key " + Ed25519.encodePublic(key);
        }
        if (!Ed25519.verify(key, canonicalBytes(sequence, root, previous, sealedAt, publicKey), signature)) {
            return "the checkpoint's signature does not verify with the pinned ledger key";
        }
        return null;
    }

    static byte[] canonicalBytes(long sequence, String root, String previous, long sealedAt, String publicKey) {
        return CanonicalBytes.of(DOMAIN).int64(sequence).text(root).text(previous).int64(sealedAt).text(publicKey).bytes();
    }

    /**
     * The Merkle root over the shard heads in shard order: leaves hash {@code 0x00 || head bytes}, inner
     * nodes {@code 0x01 || left || right}, and an odd node is carried up unchanged. One shard's root is its leaf.
     */
    public static String merkleRoot(List<ShardHead> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a seal needs at least one shard");
        }
        List<byte[]> level = new ArrayList<>(shards.size());
        for (ShardHead s : shards) {
            level.add(sha256((byte) 0, CanonicalBytes.of("render-farm/ledger-shard-head/v1")
                    .int32(s.shard()).int64(s.entries()).int64(s.lastEntryId()).text(s.head()).bytes()));
        }
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                up.add(i + 1 < level.size() ? sha256((byte) 1, level.get(i), level.get(i + 1)) : level.get(i));
            }
            level = up;
        }
        return HexFormat.of().formatHex(level.get(0));
    }

    private static byte[] sha256(byte prefix, byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(prefix);
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
