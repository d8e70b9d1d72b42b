#if canImport(Glibc)
  import Glibc
#endif

/// The signals that end or interrupt ConvTour must reach it: a parent may start it with them
/// blocked (Foundation's `Process` does), and then Ctrl-C, SIGTERM and SIGHUP would wait forever.
enum SignalMask {
  static func unblockTermination() {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE] {
      sigaddset(&set, signal)
    }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }
}
