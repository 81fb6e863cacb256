package app.parley.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Token buckets in memory, bounded in number without resetting anyone's budget. A bucket that has refilled to
 * its capacity says nothing a new bucket would not, so dropping it is exact; only when the keys still in the
 * map are too many (a flood of new addresses, each partly spent) go the fullest ones, which lose the least.
 */
final class LocalBuckets implements Buckets {
    private final Bandwidth limit;
    private final int maxKeys;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final ReentrantLock sweeping = new ReentrantLock();

    LocalBuckets(Bandwidth limit, int maxKeys) {
        this.limit = limit;
        this.maxKeys = maxKeys;
    }

    @Override
    public Bucket of(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) return bucket;
        if (buckets.size() >= maxKeys) sweep();
        return buckets.computeIfAbsent(key, k -> Bucket.builder().addLimit(limit).build());
    }

    int size() {
        return buckets.size();
    }

    private void sweep() {
        // One thread sweeps; the others go on (the map may pass its bound by the few keys added meanwhile).
        if (!sweeping.tryLock()) return;
        try {
            long capacity = limit.getCapacity();
            buckets.values().removeIf(b -> b.getAvailableTokens() >= capacity);
            // Sweeping to a tenth below the bound keeps sweeps rare under a flood.
            int target = maxKeys - Math.max(1, maxKeys / 10);
            if (buckets.size() <= target) return;
            List<Map.Entry<String, Long>> byTokens = new ArrayList<>();
            buckets.forEach((k, b) -> byTokens.add(Map.entry(k, b.getAvailableTokens())));
            byTokens.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
            for (int i = 0; i < byTokens.size() && buckets.size() > target; i++) buckets.remove(byTokens.get(i).getKey());
        } finally {
            sweeping.unlock();
        }
    }
}
