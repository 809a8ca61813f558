package farm.render.verifier.bench;

import farm.render.core.wire.Reputation;
import farm.render.worker.daemon.Cheat;

import java.util.Optional;

/**
 * Totals of one peer-checked row: tiles of an unproven class, what the trusted verifier's sample, the peers and the referee
 * made of them, and the compute each side spent.
 */
final class PeerTally {
    final String name;
    /** How the row's worker cheats; empty for an honest worker. */
    final Optional<Cheat> cheat;
    /** How the row's first peer answers. */
    final BenchPeer.Behaviour peer;
    int tiles;
    /** Pixels the verifier sampled, and those of them not bit-equal to the worker's: the classes differ. */
    long sampled;
    long sampledDiffering;
    /** Pixels of an honest worker the verifier sampled outside its tolerance. */
    long sampledOutside;
    /** Tiles failed, by the verifier's sample or after a peer check. */
    int failed;
    /** Of those, failed by the verifier's sample before any peer check. */
    int failedBySample;
    int checks;
    /** Checks that drew known answers from other tiles (none exist before a frame has agreed checks). */
    int checksWithOtherTiles;
    int referees;
    /** Reports of the row's dishonest peer, and how many of them got it caught. */
    int dishonestTasks;
    int dishonestCaught;
    /** Reports of honest peers, and how many of them got an honest peer caught: false positives. */
    int honestReports;
    int honestPeersCaught;
    long renderNanos;
    long sampleNanos;
    long peerNanos;
    long refereeNanos;

    PeerTally(String name, Optional<Cheat> cheat, BenchPeer.Behaviour peer) {
        this.name = name;
        this.cheat = cheat;
        this.peer = peer;
    }

    /** Tiles of this row count in detection=: a new worker forging at least 5% of its pixels. */
    boolean forged() {
        return cheat.isPresent() && VerifyBench.FORGED_5_OR_MORE.contains(cheat.get());
    }

    /** Honest tiles failed, honest peers caught: false positives. */
    int falsePositives() {
        return (cheat.isEmpty() ? failed : 0) + honestPeersCaught;
    }

    /** Verdicts on honest parties: the row's tiles when its worker is honest, and every honest peer's report. */
    int honestVerdicts() {
        return (cheat.isEmpty() ? tiles : 0) + honestReports;
    }

    double verifyPercent() {
        return renderNanos == 0 ? 0 : 100.0 * (sampleNanos + peerNanos + refereeNanos) / renderNanos;
    }

    /**
     * For a forging worker of a new record, the chance its tile fails: a forged pixel among the verifier's k draws or, unless
     * the peer colludes, among the peer check's k draws of the tile; empty for other rows.
     */
    String expected(int pixels) {
        if (cheat.isEmpty() || cheat.get().forgedFraction() <= 0) {
            return "";
        }
        long forged = Math.max(1, Math.round(pixels * cheat.get().forgedFraction()));
        int draws = Reputation.NEW.sampledPixels() * (peer == BenchPeer.Behaviour.COLLUDING ? 1 : 2);
        return String.format("%.2f", 100 * (1 - Math.pow(1 - (double) forged / pixels, draws)));
    }

    static void header() {
        System.out.println("| worker, peer                       | tiles  | failed | failed % | expected % | by sample | peer checks | "
                + "other-tile answers | peers caught | its tasks caught | referees | sample/render | peer/render | verify/render |");
        System.out.println("|------------------------------------|--------|--------|----------|------------|-----------|-------------|"
                + "--------------------|--------------|------------------|----------|---------------|-------------|---------------|");
    }

    void row(int pixels) {
        System.out.printf("| %-34s | %6d | %6d | %7.2f%% | %10s | %9d | %11d | %18d | %12d | %16s | %8d | %12.2f%% | %10.2f%% | %12.2f%% |%n",
                name, tiles, failed, tiles == 0 ? 0 : 100.0 * failed / tiles, expected(pixels), failedBySample, checks, checksWithOtherTiles,
                dishonestCaught + honestPeersCaught,
                dishonestTasks == 0 ? "" : String.format("%.2f%%", 100.0 * dishonestCaught / dishonestTasks), referees,
                percent(sampleNanos), percent(peerNanos), verifyPercent());
    }

    private double percent(long nanos) {
        return renderNanos == 0 ? 0 : 100.0 * nanos / renderNanos;
    }
}
