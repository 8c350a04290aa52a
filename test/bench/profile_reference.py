#!/usr/bin/python3
# Independent numpy reference for the worked examples in sql/profile.sql: a separate,
# straightforward implementation of the definitions in doc/profile.md (each with its paper).
# Run: /usr/bin/python3 test/bench/profile_reference.py
import numpy as np
from collections import defaultdict
# firm, industry (GB/T 4754 class), region, lon, lat, weight
rows = [
 (1,'C1311','A',120.0,30.0,10),
 (2,'C1312','A',120.5,30.2,20),
 (3,'C1311','B',121.0,31.0,5),
 (4,'C2011','B',121.2,31.1,30),
 (5,'C2011','C',119.0,29.0,15),
 (6,'C1411','C',119.5,29.5,10),
 (7,'C1312','A',None,None,5),
 (8,'C1411','B',121.1,30.9,5),
]
cluster = {1,2,3,6,7}
def table(rs, key):
    d=defaultdict(float)
    for r in rs: d[key(r)]+=r[5]
    return d
allr=rows; pr=[r for r in rows if r[0] in cluster]
def shares(d):
    t=sum(d.values()); return {k:v/t for k,v in d.items()}
ind=lambda r:r[1]; ind2=lambda r:r[1][:3]; reg=lambda r:r[2]
for lvl,f in (('class',ind),('division',ind2)):
    s=shares(table(pr,f)); S=shares(table(allr,f))
    keys=sorted(set(s)|set(S))
    lq={k:s.get(k,0)/S[k] for k in keys}
    print(lvl,'LQ',{k:round(v,10) for k,v in lq.items()})
    print(lvl,'krugman',round(sum(abs(s.get(k,0)-S[k]) for k in keys),12))
    print(lvl,'hachman',round(1/sum(s.get(k,0)**2/S[k] for k in keys),12))
s=shares(table(pr,reg)); S=shares(table(allr,reg)); keys=sorted(set(s)|set(S))
print('hoover',round(0.5*sum(abs(s.get(k,0)-S[k]) for k in keys),12))
# locational gini by Lorenz trapezoid, independent: sort by LQ, integrate
lq=sorted(keys,key=lambda k:s.get(k,0)/S[k])
X=np.concatenate([[0],np.cumsum([S[k] for k in lq])]); Y=np.concatenate([[0],np.cumsum([s.get(k,0) for k in lq])])
print('locgini',round(1-2*np.trapz(Y,X),12))
def hhi(d):
    q=np.array(list(shares(d).values())); n=len(q); h=(q**2).sum()
    return h,(h-1/n)/(1-1/n),1/h
def ent(d):
    q=np.array(list(shares(d).values())); return -(q*np.log2(q)).sum()
def gini(d):
    x=np.array(list(d.values()));  # mean abs diff / (2 mean)
    return np.abs(x[:,None]-x[None,:]).sum()/(2*len(x)**2*x.mean())
mem=lambda r:r[0]
for name,f in (('industry',ind),('division',ind2),('region',reg),('member',mem)):
    d=table(pr,f); print(name,'hhi',[round(v,12) for v in hhi(d)],'entropy',round(ent(d),12),'gini',round(gini(d),12))
# Frenken et al. RV/UV from definitions
p=shares(table(pr,ind)); P=defaultdict(float)
for k,v in p.items(): P[k[:3]]+=v
UV=sum(v*np.log2(1/v) for v in P.values())
RV=sum(Pg*sum((p[k]/Pg)*np.log2(Pg/p[k]) for k in p if k[:3]==g) for g,Pg in P.items())
print('UV',round(UV,12),'RV',round(RV,12),'sum',round(UV+RV,12),'entropy',round(ent(table(pr,ind)),12))
# EG for industry C13 (division) vs all, MS, and coagglomeration of C13, C20
def eg(irows):
    s=shares(table(irows,reg)); x=shares(table(allr,reg)); ks=sorted(set(s)|set(x))
    G=sum((s.get(k,0)-x[k])**2 for k in ks); sx2=sum(x[k]**2 for k in ks); ss2=sum(s.get(k,0)**2 for k in ks)
    z=np.array(list(shares(table(irows,mem)).values())); H=(z**2).sum()
    gamma=(G-(1-sx2)*H)/((1-sx2)*(1-H)); ms=((ss2-sx2)/(1-sx2)-H)/(1-H)
    return gamma,G,H,ms,sx2
for code in ('C13','C20','C14'):
    g=eg([r for r in allr if r[1].startswith(code)]); print('EG',code,[round(v,12) for v in g[:4]])
# coagglomeration eq. 8
grp=['C13','C14']
parts=[[r for r in allr if r[1].startswith(c)] for c in grp]
W=sum(sum(r[5] for r in pp) for pp in parts); w=[sum(r[5] for r in pp)/W for pp in parts]
egs=[eg(pp) for pp in parts]
joint=[r for pp in parts for r in pp]
gj,Gj,Hj_direct,_,sx2=eg(joint)
H=sum(wi**2*e[2] for wi,e in zip(w,egs))
gc=(Gj/(1-sx2)-H-sum(e[0]*wi**2*(1-e[2]) for wi,e in zip(w,egs)))/(1-sum(wi**2 for wi in w))
print('coagg',round(gc,12),'H',H,Hj_direct)
# centrography
W=0; S=np.zeros(3); us=[]; ws=[]
for r in pr:
    if r[3] is None: continue
    lo,la=np.radians(r[3]),np.radians(r[4]); u=np.array([np.cos(la)*np.cos(lo),np.cos(la)*np.sin(lo),np.sin(la)])
    us.append(u); ws.append(r[5])
us=np.array(us); ws=np.array(ws); m=(ws[:,None]*us).sum(0); m/=np.linalg.norm(m)
print('centroid lon lat',np.degrees(np.arctan2(m[1],m[0])),np.degrees(np.arcsin(m[2])))
rms=np.sqrt((ws*((us-m)**2).sum(1)).sum()/ws.sum())*6371008.8
print('standard distance (brute-force RMS chord)',rms)
