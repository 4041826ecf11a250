package simchat.peer.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The processes a lab started: stopped together, children included, by their exact handles. */
final class ProcessGroup {

    private final List<Process> processes = new ArrayList<>();

    synchronized Process add(Process process) {
        processes.add(process);
        return process;
    }

    synchronized void stopAll() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
