package simchat.peer.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * What {@code /send PATH} offers: a file, or a folder's regular files with paths relative to the folder's parent
 * ({@code holiday/2024/a.jpg}). Symbolic links inside a folder and special files are skipped (and counted), never
 * followed; the path given itself may be a link. Built on the file thread.
 *
 * @param skipped symbolic links, special files, unreadable entries and names the receiver would refuse
 */
record Source(String name, boolean folder, List<Entry> entries, int skipped) {

    /** One regular file to send, as it was when offered (a change is detected when it is read). */
    record Entry(Path file, String path, long size, long modified, int mode) {
    }

    long bytes() {
        return entries.stream().mapToLong(Entry::size).sum();
    }

    /** Looks at {@code path}; a one-line {@link IOException} if it cannot be sent. */
    static Source scan(Path path) throws IOException {
        Path given = path.toAbsolutePath().normalize();
        Path real;
        try {
            real = given.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": no such file or folder");
        }
        Path fileName = given.getFileName();
        String name = fileName == null ? "root" : fileName.toString();
        String problem = PathSafety.problem(name);
        if (problem != null) {
            throw new IOException(path + ": its name has " + problem + ", which the other peer would refuse");
        }
        BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
        if (attrs.isRegularFile()) {
            return new Source(name, false, List.of(entry(real, name, attrs)), 0);
        }
        if (!attrs.isDirectory()) {
            throw new IOException(path + ": not a regular file or a folder");
        }
        List<Entry> entries = new ArrayList<>();
        int[] skipped = {0};
        Files.walkFileTree(real, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                if (!dir.equals(real) && PathSafety.problem(dir.getFileName().toString()) != null) {
                    skipped[0]++;
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                if (!a.isRegularFile() || PathSafety.problem(file.getFileName().toString()) != null) {
                    skipped[0]++;
                    return FileVisitResult.CONTINUE;
                }
                StringBuilder relative = new StringBuilder(name);
                for (Path part : real.relativize(file)) {
                    relative.append('/').append(part);
                }
                entries.add(entry(file, relative.toString(), a));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                skipped[0]++;
                return FileVisitResult.CONTINUE;
            }
        });
        entries.sort(Comparator.comparing(Entry::path));
        return new Source(name, true, List.copyOf(entries), skipped[0]);
    }

    private static Entry entry(Path file, String relative, BasicFileAttributes attrs) {
        return new Entry(file, relative, attrs.size(), attrs.lastModifiedTime().toMillis(), mode(file));
    }

    /** The permission bits, at most 0777 (never setuid, setgid or sticky); 0644 where there are none. */
    static int mode(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.readAttributes(file, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).permissions();
            int mode = 0;
            for (PosixFilePermission p : perms) {
                mode |= 1 << (8 - p.ordinal());
            }
            return mode & 0777;
        } catch (IOException | UnsupportedOperationException e) {
            return 0644;
        }
    }
}
