/*
 * The test kit's model of directory durability, the half that runs in the program under test (LD_PRELOAD). LazyFS
 * passes renames straight to the disk and has no fsync of a directory; this shim logs, outside the file system
 * being cut, which renames the program made and which directories it synced, so that the test kit can undo, after
 * a cut, the renames no sync of their directory followed (see LazyFs.withDirectoryModel and testkit/README.md).
 *
 * Environment: TAGBRIDGE_RENAMES_LOG, the log (appended to); TAGBRIDGE_RENAMES_UNDER, an absolute canonical path:
 * only renames and syncs under it are logged. Without both the shim does nothing but call the real functions.
 *
 * Log lines, each written with one write(2) to a file opened once with O_APPEND (fields separated by tabs; times
 * are CLOCK_MONOTONIC nanoseconds, one clock for every process of the machine):
 *   P <stash>                      a hard link of a rename's destination is about to be made, to restore it
 *   R <end> <from> <to> <stash>    a rename returned success at <end>; <stash> is the hard link of what <to> was,
 *                                  "-" when <to> did not exist, "!" when it existed and could not be linked
 *   S <start> <dir>                an fsync or fdatasync of directory <dir>, begun at <start>, succeeded
 * A sync covers a rename when it began after the rename returned. Paths are absolute, their directories resolved
 * (realpath); a path with a tab or a newline is not modeled. The shim never changes what the real call does or
 * returns, and logging that fails is ignored.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static int log_fd = -1;
static char under[PATH_MAX];
static size_t under_length;
static unsigned long stashes;

/* Renames with a stash, not yet covered by syncs of this process: their stash goes once they are. */
#define PENDING 64
static struct pending {
    long long end;
    char *stash, *from_dir, *to_dir;
    int to_synced, from_synced;
} pending[PENDING];
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

static void resolve(void) {
    if (!real_rename) {
        real_rename = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
        real_renameat = (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT, "renameat");
        real_renameat2 = (int (*)(int, const char *, int, const char *, unsigned int))dlsym(RTLD_NEXT, "renameat2");
        real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
        real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    }
}

__attribute__((constructor)) static void init(void) {
    resolve();
    const char *log = getenv("TAGBRIDGE_RENAMES_LOG");
    const char *u = getenv("TAGBRIDGE_RENAMES_UNDER");
    if (!log || !u || u[0] != '/' || strlen(u) >= sizeof under) {
        return;
    }
    strcpy(under, u);
    under_length = strlen(under);
    while (under_length > 1 && under[under_length - 1] == '/') {
        under[--under_length] = '\0';
    }
    log_fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

static long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void log_line(const char *line, size_t length) {
    int saved = errno;
    if (write(log_fd, line, length) < 0) {
        /* ignored: the model is the test's business, never the program's */
    }
    errno = saved;
}

static int inside(const char *path) {
    return strncmp(path, under, under_length) == 0 && (path[under_length] == '/' || path[under_length] == '\0');
}

/* The absolute path of (dirfd, path), its directory resolved; 0 when it could be made and is worth modeling. */
static int absolute(int dirfd, const char *path, char out[PATH_MAX]) {
    char joined[PATH_MAX * 2];
    if (path[0] == '/') {
        snprintf(joined, sizeof joined, "%s", path);
    } else {
        char base[PATH_MAX];
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base)) {
                return -1;
            }
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            ssize_t n = readlink(link, base, sizeof base - 1);
            if (n <= 0) {
                return -1;
            }
            base[n] = '\0';
        }
        snprintf(joined, sizeof joined, "%s/%s", base, path);
    }
    size_t length = strlen(joined);
    while (length > 1 && joined[length - 1] == '/') {
        joined[--length] = '\0';
    }
    char *slash = strrchr(joined, '/');
    const char *name = slash + 1;
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strpbrk(joined, "\t\n")) {
        return -1;
    }
    char directory[PATH_MAX];
    *slash = '\0';
    if (!realpath(joined[0] ? joined : "/", directory)) {
        return -1;
    }
    if ((size_t)snprintf(out, PATH_MAX, "%s/%s", strcmp(directory, "/") == 0 ? "" : directory, name) >= PATH_MAX
            || strpbrk(out, "\t\n")) {
        return -1;
    }
    return inside(out) ? 0 : -1;
}

static char *directory_of(const char *path) {
    char *copy = strdup(path);
    if (copy) {
        char *slash = strrchr(copy, '/');
        if (slash == copy) {
            slash[1] = '\0';
        } else if (slash) {
            *slash = '\0';
        }
    }
    return copy;
}

static void remember(long long end, const char *from, const char *to, const char *stash) {
    pthread_mutex_lock(&pending_lock);
    for (int i = 0; i < PENDING; i++) {
        if (!pending[i].stash) {
            pending[i].stash = strdup(stash);
            pending[i].from_dir = directory_of(from);
            pending[i].to_dir = directory_of(to);
            pending[i].end = end;
            pending[i].to_synced = pending[i].from_synced = 0;
            if (!pending[i].stash || !pending[i].from_dir || !pending[i].to_dir) {
                free(pending[i].stash);
                free(pending[i].from_dir);
                free(pending[i].to_dir);
                pending[i].stash = NULL;
            }
            break;
        }
    }
    /* full: the stash stays until the test kit deletes it after the cut */
    pthread_mutex_unlock(&pending_lock);
}

/* A sync of dir that began at start: the stashes of the renames it made durable go. */
static void synced(long long start, const char *dir) {
    char *done[PENDING];
    int n = 0;
    pthread_mutex_lock(&pending_lock);
    for (int i = 0; i < PENDING; i++) {
        struct pending *p = &pending[i];
        if (!p->stash || p->end >= start) {
            continue;
        }
        if (strcmp(p->to_dir, dir) == 0) {
            p->to_synced = 1;
        }
        if (strcmp(p->from_dir, dir) == 0) {
            p->from_synced = 1;
        }
        if (p->to_synced && (p->from_synced || strcmp(p->from_dir, p->to_dir) == 0)) {
            done[n++] = p->stash;
            free(p->from_dir);
            free(p->to_dir);
            p->stash = NULL;
        }
    }
    pthread_mutex_unlock(&pending_lock);
    int saved = errno;
    for (int i = 0; i < n; i++) {
        unlink(done[i]);
        free(done[i]);
    }
    errno = saved;
}

static int modeled_rename(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags,
        int kind) {
    resolve();
    char from[PATH_MAX], to[PATH_MAX], stash[PATH_MAX];
    int modeled = log_fd >= 0 && oldpath && newpath && (flags & ~RENAME_NOREPLACE) == 0
            && absolute(olddirfd, oldpath, from) == 0 && absolute(newdirfd, newpath, to) == 0;
    const char *kept = "-";
    int saved = errno;
    struct stat st;
    if (modeled && !(flags & RENAME_NOREPLACE) && lstat(to, &st) == 0) {
        kept = "!";
        char *slash = strrchr(to, '/');
        for (int attempt = 0; attempt < 5; attempt++) {
            unsigned long n = __atomic_add_fetch(&stashes, 1, __ATOMIC_RELAXED);
            if ((size_t)snprintf(stash, sizeof stash, "%.*s/.renames-stash-%ld-%lu", (int)(slash - to), to,
                    (long)getpid(), n) >= sizeof stash) {
                break;
            }
            char line[PATH_MAX + 8];
            log_line(line, (size_t)snprintf(line, sizeof line, "P\t%s\n", stash));
            if (link(to, stash) == 0) {
                kept = stash;
                break;
            }
            if (errno != EEXIST) {
                break;
            }
        }
    }
    errno = saved;
    int result;
    if (kind == 0) {
        result = real_rename(oldpath, newpath);
    } else if (kind == 1) {
        result = real_renameat(olddirfd, oldpath, newdirfd, newpath);
    } else if (real_renameat2) {
        result = real_renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
    } else {
        errno = ENOSYS;
        result = -1;
    }
    if (modeled) {
        saved = errno;
        if (result == 0) {
            long long end = now();
            char line[PATH_MAX * 3 + 64];
            log_line(line, (size_t)snprintf(line, sizeof line, "R\t%lld\t%s\t%s\t%s\n", end, from, to, kept));
            if (kept == stash) {
                remember(end, from, to, stash);
            }
        } else if (kept == stash) {
            unlink(stash); /* when this fails too, the log's P line has the test kit delete it */
        }
        errno = saved;
    }
    return result;
}

int rename(const char *oldpath, const char *newpath) {
    return modeled_rename(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0, 0);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
    return modeled_rename(olddirfd, oldpath, newdirfd, newpath, 0, 1);
}

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    return modeled_rename(olddirfd, oldpath, newdirfd, newpath, flags, 2);
}

static int modeled_sync(int fd, int data) {
    resolve();
    int (*real)(int) = data ? real_fdatasync : real_fsync;
    struct stat st;
    int saved = errno;
    if (log_fd < 0 || fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errno = saved;
        return real(fd);
    }
    errno = saved;
    long long start = now();
    int result = real(fd);
    if (result == 0) {
        saved = errno;
        char link[64], dir[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, dir, sizeof dir - 1);
        if (n > 0) {
            dir[n] = '\0';
            if (inside(dir) && !strpbrk(dir, "\t\n")) {
                char line[PATH_MAX + 64];
                log_line(line, (size_t)snprintf(line, sizeof line, "S\t%lld\t%s\n", start, dir));
                synced(start, dir);
            }
        }
        errno = saved;
    }
    return result;
}

int fsync(int fd) {
    return modeled_sync(fd, 0);
}

int fdatasync(int fd) {
    return modeled_sync(fd, 1);
}
