// The tests reach child processes (ChildProcess, ExitStatus, OutputCollector) through CKSTestSupport.
@_exported import ChildProcesses
