# Time from process start to /readyz answering 200, over 7 runs, with the
# embedded corpus: python3 scripts/startup-time.py PATH-TO-BRIEFBOT
import subprocess, time, urllib.request, os, tempfile, sys
res=[]
for i in range(7):
    d=tempfile.mkdtemp()
    env=dict(os.environ, BRIEFBOT_ADDR="127.0.0.1:18181", BRIEFBOT_DATA_DIR=d)
    t0=time.monotonic()
    p=subprocess.Popen([sys.argv[1],"serve"],env=env,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
    while True:
        try:
            if urllib.request.urlopen("http://127.0.0.1:18181/readyz",timeout=1).status==200: break
        except Exception: time.sleep(0.001)
    res.append((time.monotonic()-t0)*1000)
    p.terminate(); p.wait()
print("start->readyz ms:", " ".join("%.1f"%x for x in res), " median %.1f"%sorted(res)[len(res)//2])
