#!/usr/bin/env python3
"""Checks the frame layout of pong.bin without an emulator: a minimal cycle-counting 6502 (only the
opcodes pong.asm uses), WSYNC (halts to the end of the 76-cycle line) and the 6532 interval timer
(INTIM reads 0 from (N-1)*64 cycles after TIM64T = N, as in the 6532 and Stella).

usage: python3 framecheck.py pong.bin [SWCHA-hex [frames [timer-offset-cycles]]]
Prints the lines of VSYNC, VBLANK, visible picture and overscan of each frame; exits 1 unless every
frame is 3 + 37 + 192 + 30 = 262 lines.  A timer offset of +-16 cycles must not change the result.
"""
import sys
rom = open(sys.argv[1],'rb').read(); assert len(rom)==4096
ram = [0]*128
A=X=Y=0; SP=0xFF; C=Z=N=V=0
cyc = 0
OFF = int(sys.argv[4]) if len(sys.argv)>4 else 0
timer_set = None; timer_n = 0
swcha = int(sys.argv[2],16) if len(sys.argv)>2 else 0xFF
events = []
def rd(a):
    a &= 0x1FFF
    if a & 0x1000: return rom[a & 0xFFF]
    if (a & 0x1080) == 0x80 and not (a & 0x200): return ram[a & 0x7F]
    if (a & 0x1280) == 0x280:
        r = a & 0x7
        if r == 0: return swcha
        if r == 2: return 0xFF       # console switches: nothing pressed
        if r == 4:
            d = cyc - timer_set
            t = timer_n*64 - d - 1 + OFF
            return (t >> 6) & 0xFF if t >= 0 else (t & 0xFF)
        return 0
    return 0  # TIA reads
def wr(a, v):
    global cyc, timer_set, timer_n
    a &= 0x1FFF
    if (a & 0x1080) == 0x80 and not (a & 0x200): ram[a & 0x7F] = v; return
    if (a & 0x1280) == 0x280:
        if (a & 0x17) == 0x16: timer_set = cyc; timer_n = v
        return
    if not (a & 0x1080):
        r = a & 0x3F
        if r == 2:  # WSYNC: halt to end of line
            cyc = (cyc + 75)//76*76
        elif r in (0, 1):
            events.append((cyc, 'VSYNC' if r == 0 else 'VBLANK', v & 2))
def setnz(v): 
    global Z,N; Z = int(v==0); N = (v>>7)&1; return v
PC = rom[0xFFC] | rom[0xFFD]<<8
def fetch():
    global PC; v = rd(PC); PC = (PC+1) & 0xFFFF; return v
def fetch16(): lo = fetch(); return lo | fetch()<<8
def push(v):
    global SP; ram[SP & 0x7F] = v; SP = (SP-1) & 0xFF
def pop():
    global SP; SP = (SP+1) & 0xFF; return ram[SP & 0x7F]
def adc(v):
    global A,C,V
    s = A + v + C; V = int(((A ^ s) & (v ^ s) & 0x80) != 0); C = int(s > 0xFF); A = setnz(s & 0xFF)
def cmp(r, v):
    global C; C = int(r >= v); setnz((r - v) & 0xFF)
# addressing: returns (address, extra cycle flag)
def am(mode):
    if mode == 'imm': return None
    if mode == 'zp': return fetch()
    if mode == 'zpx': return (fetch() + X) & 0xFF
    if mode == 'abs': return fetch16()
    if mode == 'absx': return (fetch16() + X) & 0xFFFF
    if mode == 'absy': return (fetch16() + Y) & 0xFFFF
OPS = {}
def op(code, name, mode, cycles): OPS[code] = (name, mode, cycles)
for name, codes in {'LDA':{'imm':(0xA9,2),'zp':(0xA5,3),'zpx':(0xB5,4),'abs':(0xAD,4),'absx':(0xBD,4),'absy':(0xB9,4)},
                    'LDX':{'imm':(0xA2,2),'zp':(0xA6,3),'abs':(0xAE,4)},
                    'LDY':{'imm':(0xA0,2),'zp':(0xA4,3),'abs':(0xAC,4)},
                    'STA':{'zp':(0x85,3),'zpx':(0x95,4),'abs':(0x8D,4),'absx':(0x9D,5)},
                    'STX':{'zp':(0x86,3),'abs':(0x8E,4)}, 'STY':{'zp':(0x84,3),'abs':(0x8C,4)},
                    'ADC':{'imm':(0x69,2),'zp':(0x65,3)}, 'SBC':{'imm':(0xE9,2),'zp':(0xE5,3)},
                    'CMP':{'imm':(0xC9,2),'zp':(0xC5,3)}, 'CPX':{'imm':(0xE0,2)}, 'CPY':{'imm':(0xC0,2)},
                    'AND':{'imm':(0x29,2),'zp':(0x25,3)}, 'ORA':{'imm':(0x09,2),'zp':(0x05,3)}, 'EOR':{'imm':(0x49,2)},
                    'INC':{'zp':(0xE6,5)}, 'DEC':{'zp':(0xC6,5)}}.items():
    for mode,(c,cy) in codes.items(): op(c, name, mode, cy)
for c,n in [(0xAA,'TAX'),(0xA8,'TAY'),(0x8A,'TXA'),(0x98,'TYA'),(0x9A,'TXS'),(0x48,'PHA'),(0x68,'PLA'),(0x38,'SEC'),(0x18,'CLC'),
            (0x78,'SEI'),(0xD8,'CLD'),(0x0A,'ASL'),(0x4A,'LSR'),(0xE8,'INX'),(0xC8,'INY'),(0xCA,'DEX'),(0x88,'DEY'),(0xEA,'NOP')]:
    op(c, n, 'imp', 3 if n=='PHA' else 4 if n=='PLA' else 2)
for c,n in [(0xD0,'BNE'),(0xF0,'BEQ'),(0x90,'BCC'),(0xB0,'BCS'),(0x30,'BMI'),(0x10,'BPL')]: op(c,n,'rel',2)
op(0x4C,'JMP','abs',3); op(0x20,'JSR','abs',6); op(0x60,'RTS','imp',6)
def step():
    global A,X,Y,SP,C,Z,N,PC,cyc
    o = fetch()
    if o not in OPS: raise Exception('opcode %02x at %04x' % (o, PC-1))
    name, mode, cy = OPS[o]
    if mode == 'rel':
        off = fetch(); off = off-256 if off > 127 else off
        take = {'BNE':not Z,'BEQ':Z,'BCC':not C,'BCS':C,'BMI':N,'BPL':not N}[name]
        if take:
            t = (PC + off) & 0xFFFF; cy += 1 + (1 if (t & 0xFF00) != (PC & 0xFF00) else 0); PC = t
        cyc += cy; return
    if name == 'JMP': PC = fetch16(); cyc += cy; return
    if name == 'JSR':
        t = fetch16(); r = (PC-1) & 0xFFFF; push(r>>8); push(r&0xFF); PC = t; cyc += cy; return
    if name == 'RTS':
        lo = pop(); hi = pop(); PC = ((hi<<8|lo)+1) & 0xFFFF; cyc += cy; return
    addr = None if mode in ('imm','imp') else am(mode)
    val = (lambda: fetch()) if mode == 'imm' else (lambda: rd(addr))
    if name in ('STA','STX','STY'):
        cyc += cy - 1; wr(addr, {'STA':A,'STX':X,'STY':Y}[name]); cyc += 1; return
    cyc_before = cyc; cyc += cy - 1
    if name == 'LDA': A = setnz(val())
    elif name == 'LDX': X = setnz(val())
    elif name == 'LDY': Y = setnz(val())
    elif name == 'ADC': adc(val())
    elif name == 'SBC': adc(val() ^ 0xFF)
    elif name == 'CMP': cmp(A, val())
    elif name == 'CPX': cmp(X, val())
    elif name == 'CPY': cmp(Y, val())
    elif name == 'AND': A = setnz(A & val())
    elif name == 'ORA': A = setnz(A | val())
    elif name == 'EOR': A = setnz(A ^ val())
    elif name == 'INC': v = (rd(addr)+1)&0xFF; wr(addr, v); setnz(v)
    elif name == 'DEC': v = (rd(addr)-1)&0xFF; wr(addr, v); setnz(v)
    elif name == 'TAX': X = setnz(A)
    elif name == 'TAY': Y = setnz(A)
    elif name == 'TXA': A = setnz(X)
    elif name == 'TYA': A = setnz(Y)
    elif name == 'TXS': SP = X
    elif name == 'PHA': push(A)
    elif name == 'PLA': A = setnz(pop())
    elif name == 'SEC': C = 1
    elif name == 'CLC': C = 0
    elif name == 'ASL': C = A >> 7; A = setnz((A << 1) & 0xFF)
    elif name == 'LSR': C = A & 1; A = setnz(A >> 1)
    elif name == 'INX': X = setnz((X+1)&0xFF)
    elif name == 'INY': Y = setnz((Y+1)&0xFF)
    elif name == 'DEX': X = setnz((X-1)&0xFF)
    elif name == 'DEY': Y = setnz((Y-1)&0xFF)
    cyc += 1
frames = int(sys.argv[3]) if len(sys.argv)>3 else 400
vsyncs = 0
while vsyncs < frames:
    n = len(events)
    step()
    vsyncs += sum(1 for e in events[n:] if e[1] == 'VSYNC' and e[2])
# analyse: per frame, lines from VSYNC on to VSYNC off, to VBLANK off, to VBLANK on, to next VSYNC on
vs_on = [c for c,n,v in events if n=='VSYNC' and v]
layouts = set()
j = 0
for i in range(len(vs_on)-1):
    s, e = vs_on[i], vs_on[i+1]
    while events[j][0] < s: j += 1
    fr = []
    k = j
    while k < len(events) and events[k][0] < e:
        c, n, v = events[k]; fr.append((c//76, n, v)); k += 1
    L0 = s//76
    vs_off = [c for c,n,v in fr if n=='VSYNC' and not v][0]
    vb_off = [c for c,n,v in fr if n=='VBLANK' and not v][0]
    vb_on = [c for c,n,v in fr if n=='VBLANK' and v and c > vb_off][0]
    lay = (vs_off-L0, vb_off-vs_off, vb_on-vb_off, e//76 - vb_on, e//76 - L0, s % 76)
    layouts.add(lay)
print("frames", len(vs_on)-1, "(vsync, vblank, visible, overscan, total lines, vsync-on cycle):", sorted(layouts))
print("RAM $96 =", ram[0x16])
sys.exit(0 if {l[:5] for l in layouts} == {(3, 37, 192, 30, 262)} and ram[0x16] == 0 else 1)
