package app.parley.store;

import java.nio.file.Path;

/** Another running Parley uses this data folder (it holds {@code parley.lock}). */
public final class DataFolderInUse extends IllegalStateException {
    DataFolderInUse(Path dataDir) {
        super("the data folder " + dataDir + " is in use by another Parley");
    }
}
