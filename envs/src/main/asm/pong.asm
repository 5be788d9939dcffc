; =============================================================================
; pong.asm - the eprop project's own Atari 2600 test ROM ("one-player Pong")
;
; A 4 KiB cartridge ($F000-$FFFF) that the Arcade Learning Environment 0.6
; runs with its Pong rules when the file is named pong.bin:
;
;   * RAM $8D = CPU score, RAM $8E = player score (plain binary, 0..21).
;     ALE's reward per frame is the change in ($8E - $8D); the episode ends
;     when either reaches 21.  The game stops counting (and freezes) at 21.
;   * RAM $96 is ALE's "game mode" byte for Pong.  On every reset ALE presses
;     SELECT until $96 equals the requested mode (0), so this program clears
;     all RAM at power-on and NEVER writes $96: it stays 0 forever.
;   * Stella fills RAM with random bytes at power-on; the CLEAN_START-style
;     loop below zeroes $00-$FF (TIA registers and RAM) before anything else.
;
; The game: a ball (the TIA ball object, 4x4 pixels, white) serves from the
; left wall towards the player's paddle (player 0 sprite, 4x16, green) on the
; right.  The ball bounces off the top and bottom walls and off the left wall
; (missile 1, orange).  The paddle moves up and down with the joystick:
;
;     joystick RIGHT (ALE action RIGHT, 3)  or UP   -> paddle up   (-3 px/frame)
;     joystick LEFT  (ALE action LEFT,  4)  or DOWN -> paddle down (+3 px/frame)
;     FIRE is ignored (so RIGHTFIRE = RIGHT, LEFTFIRE = LEFT).
;
; When the paddle hits the ball the player scores (INC $8E) and the ball
; bounces back (its vertical speed depends on where it hit the paddle).
; When the ball gets past the paddle the CPU scores (INC $8D) and, after a
; short pause, the ball is served again from the left wall.  The serves come
; from a fixed table of 8 (start y, dy) pairs chosen so that every serve
; misses a paddle left at its starting place: a NOOP policy loses 21-0.
; Nothing is random; the same inputs always give the same game.
;
; The console RESET switch (which ALE presses during reset_game) restarts
; the game: scores 0, paddle centred, first serve of the table.
;
; On ALE's 160x210 screen, field line y is row 27 + y; the ball's x is its
; screen column; the paddle covers columns 144..147.
;
; Frame: NTSC, 262 lines = 3 VSYNC + 37 VBLANK (TIM64T) + 192 visible
; (one WSYNC per line) + 30 overscan (TIM64T), checked with a cycle-counting
; model of the 6502, WSYNC and the 6532 timer.
;
; Build (Debian's dasm 2.20.14.1; no vcs.h/macro.h needed):
;     dasm pong.asm -f3 -opong.bin        -> exactly 4096 bytes
; =============================================================================

        processor 6502

; ----------------------------------------------------------------------------
; TIA write registers
; ----------------------------------------------------------------------------
VSYNC   = $00
VBLANK  = $01
WSYNC   = $02
NUSIZ0  = $04
NUSIZ1  = $05
COLUP0  = $06
COLUP1  = $07
COLUPF  = $08
COLUBK  = $09
CTRLPF  = $0A
PF0     = $0D
PF1     = $0E
PF2     = $0F
RESP0   = $10
RESP1   = $11
RESM0   = $12
RESM1   = $13
RESBL   = $14
GRP0    = $1B
GRP1    = $1C
ENAM0   = $1D
ENAM1   = $1E
ENABL   = $1F
HMP0    = $20
HMP1    = $21
HMM0    = $22
HMM1    = $23
HMBL    = $24
HMOVE   = $2A
HMCLR   = $2B

; ----------------------------------------------------------------------------
; RIOT (6532) registers
; ----------------------------------------------------------------------------
SWCHA   = $280          ; joysticks: P0 right=D7 left=D6 down=D5 up=D4 (0 = pressed)
SWACNT  = $281
SWCHB   = $282          ; console switches: D0 = RESET (0 = pressed)
SWBCNT  = $283
INTIM   = $284
TIM64T  = $296

; ----------------------------------------------------------------------------
; Game constants
; ----------------------------------------------------------------------------
FIELDH     = 160        ; lines between the top and bottom walls
BALLH      = 4          ; ball height in lines (width 4 via CTRLPF)
PADH       = 16         ; paddle height in lines
PADGFX     = %11110000  ; paddle graphic: 4 pixels wide
BALLYMAX   = FIELDH-BALLH   ; 156
PADYMAX    = FIELDH-PADH    ; 144
PADYSTART  = (FIELDH-PADH)/2 ; 72
PADSPEED   = 3          ; paddle pixels per frame
PADX       = 144        ; paddle's left pixel (paddle covers 144..147)
BALLXMIN   = 8          ; ball x just right of the left wall (wall = 0..7)
HITX       = PADX-4     ; 140: ball's right edge touches the paddle's left edge
OUTX       = 152        ; ball x at which the CPU scores
BALLDX     = 2          ; horizontal speed; BALLXMIN, HITX are even, so the
                        ; ball passes x = HITX exactly
SERVEDELAY = 24         ; frames between a CPU point (or game start) and a serve
WINSCORE   = 21         ; ALE ends the episode here; the game freezes too

COL_CPU    = $36        ; orange: left wall, CPU score
COL_PLAYER = $C8        ; green: paddle, player score
COL_WALL   = $0E        ; white: top/bottom walls and the ball

; ----------------------------------------------------------------------------
; RAM ($80-$FF).  $8D/$8E are read by ALE; $96 must stay 0 (never used).
; ----------------------------------------------------------------------------
BallX      = $80        ; ball's left pixel, 8..152
BallY      = $81        ; ball's top line within the field, 0..156
BallDX     = $82        ; +2 (right) or -2 ($FE, left)
BallDY     = $83        ; -2,-1,+1,+2 ($FE,$FF,$01,$02)
PadY       = $84        ; paddle's top line within the field, 0..144
BallOn     = $85        ; 2 while the ball is in play (ENABL value), 0 otherwise
ServeTimer = $86        ; frames left until the next serve (0 = ball in play)
ServeIdx   = $87        ; next entry of the serve table, 0..7
Temp       = $88        ; scratch
TensPtr    = $89        ; scratch for the score digits
OnesPtr    = $8A
TensMask   = $8B
Count      = $8C
CpuScore   = $8D        ; ALE Pong: CPU score (plain binary)
PlrScore   = $8E        ; ALE Pong: player score (plain binary)
; $96 = ALE Pong game mode: reserved, always 0
ScoreL     = $A0        ; 5 bytes: PF1 rows of the CPU score (left half)
ScoreR     = $A5        ; 5 bytes: PF1 rows of the player score (right half)

; ============================================================================
        seg code
        org $F000

Reset:
        ; ---- clear the TIA and all RAM, SP = $FF (like macro.h's CLEAN_START)
        sei
        cld
        ldx #0
        txa
        tay
.clear  dex
        txs
        pha
        bne .clear          ; clears $FF..$00; ends with X = A = 0, SP = $FF
        sta SWACNT          ; joystick port: all inputs
        sta SWBCNT          ; console switches: all inputs
        jsr InitGame
        sta WSYNC           ; MainLoop starts at the start of a line

; ============================================================================
; Main loop: one iteration = one 262-line frame
; ============================================================================
MainLoop:
        ; ---- 3 lines of VSYNC (VBLANK is already on; we are at the start
        ; of a line: the overscan ends with WSYNC, and so does Reset)
        lda #2
        sta VBLANK
        sta VSYNC
        sta WSYNC
        sta WSYNC
        sta WSYNC
        lda #0
        sta VSYNC

        ; ---- 37 lines of VBLANK.  INTIM reads 0 from (N-1)*64 cycles after
        ; the write (6532 and Stella): 43*64 = 2752 cycles after cycle ~11
        ; of line 3 is cycle ~27 of line 39; the WSYNC below then ends line 39.
        lda #44
        sta TIM64T

        jsr GameLogic
        jsr BuildScore

        ; horizontal positions: ball, paddle (P0), left wall (M1)
        ldx BallX           ; the ball (like the missiles) lands one pixel
        inx                 ; left of a player given the same x: add 1
        txa
        ldx #4              ; ball
        jsr PosObject
        lda #PADX
        ldx #0              ; player 0
        jsr PosObject
        lda #1              ; (x = 0 would wrap to pixel 159; 1 gives 0..7)
        ldx #3              ; missile 1
        jsr PosObject
        sta WSYNC
        sta HMOVE

        ; static TIA setup for the visible part
        lda #0
        sta COLUBK
        sta NUSIZ0
        lda #$30            ; missile 1 eight pixels wide
        sta NUSIZ1
        lda #COL_WALL
        sta COLUPF
        lda #COL_CPU        ; score mode: left half of the PF uses COLUP0
        sta COLUP0
        lda #COL_PLAYER     ; ... and the right half COLUP1
        sta COLUP1
        lda #$22            ; ball 4 pixels wide, playfield score mode
        sta CTRLPF

.vbWait lda INTIM
        bne .vbWait
        sta WSYNC           ; end of VBLANK line 37
        sta VBLANK          ; A = 0: beam on; visible line 0 starts here

; ============================================================================
; Visible kernel: exactly 192 WSYNCs
; ============================================================================
        ; ---- lines 0-1: blank
        sta WSYNC
        sta WSYNC

        ; ---- lines 2-11: the two scores, 5 rows of 2 lines each.
        ; PF1 is written twice per line: the left copy (pixels 16-47) must be
        ; written before cycle 28, the right copy (pixels 96-127) between
        ; cycles 39 and 54.
        ldx #0
.sRow   ldy #2
.sLine  lda ScoreL,x        ; 4   (starts at cycle 4..13 of the line)
        sta PF1             ; 3   left PF1 written at cycle 11..20
        lda ScoreR,x        ; 4
        nop                 ; 12 NOPs = 24 cycles
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        sta PF1             ; 3   right PF1 written at cycle 42..51
        sta WSYNC
        dey
        bne .sLine
        inx
        cpx #5
        bne .sRow

        ; ---- lines 12-15: blank; set the field colours
        lda #0
        sta PF1
        lda #$20            ; ball 4 pixels wide, normal playfield
        sta CTRLPF
        lda #COL_PLAYER
        sta COLUP0          ; paddle
        lda #COL_CPU
        sta COLUP1          ; left wall (missile 1)
        sta WSYNC
        sta WSYNC
        sta WSYNC
        sta WSYNC

        ; ---- lines 16-23: top wall (7 WSYNCs here + the field loop's first)
        lda #$FF
        sta PF0
        sta PF1
        sta PF2
        ldx #7
.tWall  sta WSYNC
        dex
        bne .tWall

        ; ---- lines 24-183: the field, 160 lines.  Each iteration works out
        ; the ball and paddle graphics for field line Y during the previous
        ; line and stores them right after WSYNC (in horizontal blank).
        ldy #0
Field:  tya                 ; 2
        sec                 ; 2
        sbc BallY           ; 3   Y - BallY
        cmp #BALLH          ; 2   unsigned: inside [0, BALLH) -> carry clear
        lda #0              ; 2
        bcs .noBall         ; 2/3
        lda BallOn          ; 3   2 = enable, 0 while the ball is out of play
.noBall tax                 ; 2
        tya                 ; 2
        sec                 ; 2
        sbc PadY            ; 3
        cmp #PADH           ; 2
        lda #0              ; 2
        bcs .noPad          ; 2/3
        lda #PADGFX         ; 2
.noPad  sta WSYNC           ; 3   (at most 38 cycles above)
        stx ENABL           ; 3
        sta GRP0            ; 3
        lda #0              ; 2
        sta PF0             ; 3   PF0 cleared at cycle 11 (drawn from cycle 22)
        sta PF1             ; 3
        sta PF2             ; 3
        lda #2              ; 2
        sta ENAM1           ; 3   left wall on
        iny                 ; 2
        cpy #FIELDH         ; 2
        bne Field           ; 3   -> 29 + 38 + 3 = 70 cycles at most

        ; ---- lines 184-191: bottom wall
        ldx #8
.bWall  sta WSYNC
        lda #$FF
        sta PF0
        sta PF1
        sta PF2
        lda #0
        sta ENABL
        sta GRP0
        sta ENAM1
        dex
        bne .bWall
        sta WSYNC           ; end of visible line 191

; ============================================================================
; Overscan: 30 lines.  35*64 = 2240 cycles after cycle ~11 of line 232 is
; cycle ~47 of line 261; the WSYNC then ends line 261, the frame's last.
; ============================================================================
        lda #2
        sta VBLANK
        lda #36
        sta TIM64T
        lda #0
        sta PF0
        sta PF1
        sta PF2
.osWait lda INTIM
        bne .osWait
        sta WSYNC
        jmp MainLoop

; ============================================================================
; InitGame: scores 0, paddle centred, ball out of play, first serve pending
; ============================================================================
InitGame:
        lda #0
        sta CpuScore
        sta PlrScore
        sta ServeIdx
        sta BallOn
        sta BallDY
        lda #BALLXMIN
        sta BallX
        lda #BALLDX
        sta BallDX
        lda #PADYSTART
        sta PadY
        sta BallY
        lda #SERVEDELAY
        sta ServeTimer
        rts

; ============================================================================
; GameLogic: one frame of the game (runs in VBLANK)
; ============================================================================
GameLogic:
        ; ---- console RESET switch restarts the game (held: keeps restarting)
        lda SWCHB
        lsr                 ; D0 -> carry, 0 = pressed
        bcs .noReset
        jmp InitGame        ; (tail call)
.noReset
        ; ---- game over at 21: freeze everything
        lda CpuScore
        cmp #WINSCORE
        bcs .rts
        lda PlrScore
        cmp #WINSCORE
        bcs .rts

        ; ---- paddle: right or up -> up; left or down -> down
        lda SWCHA
        and #%10010000      ; right, up
        cmp #%10010000
        beq .notUp          ; both released
        lda PadY
        sec
        sbc #PADSPEED
        bcs .upOk
        lda #0              ; clamp at the top
.upOk   sta PadY
.notUp  lda SWCHA
        and #%01100000      ; left, down
        cmp #%01100000
        beq .padDone
        lda PadY
        clc
        adc #PADSPEED
        cmp #PADYMAX+1
        bcc .dnOk
        lda #PADYMAX        ; clamp at the bottom
.dnOk   sta PadY
.padDone

        ; ---- ball out of play: count down to the next serve
        lda ServeTimer
        beq .live
        dec ServeTimer
        bne .rts
        jmp Serve           ; (tail call)
.rts    rts

.live   ; ---- horizontal move
        lda BallX
        clc
        adc BallDX
        sta BallX
        ldx BallDX
        bmi .left

        ; moving right
        cmp #HITX
        bne .chkOut
        ; the ball's right edge is at the paddle's left edge: overlap in y?
        ; d = BallY + BALLH-1 - PadY; overlap <=> 0 <= d <= BALLH+PADH-2
        lda BallY
        clc
        adc #BALLH-1
        sec
        sbc PadY
        cmp #BALLH+PADH-1
        bcs .vert           ; miss: the ball flies on past the paddle
        tax                 ; hit: new dy from where it hit the paddle
        lda DyTable,x
        sta BallDY
        lda #-BALLDX
        sta BallDX
        inc PlrScore        ; +1 reward in ALE (below 21 here, see above)
        jmp .vert
.chkOut cmp #OUTX
        bcc .vert
        inc CpuScore        ; -1 reward in ALE
        lda #0
        sta BallOn
        lda #SERVEDELAY
        sta ServeTimer
        rts

.left   cmp #BALLXMIN+1
        bcs .vert
        lda #BALLXMIN       ; bounce off the left wall
        sta BallX
        lda #BALLDX
        sta BallDX

.vert   ; ---- vertical move, bouncing off the top and bottom walls
        lda BallY
        clc
        adc BallDY
        ldx BallDY          ; (ldx leaves the carry alone)
        bmi .up
        cmp #BALLYMAX+1     ; moving down (or level)
        bcc .storeY
        lda #BALLYMAX
        bne .flip           ; (always)
.up     bcs .storeY         ; carry set: no borrow, still >= 0
        lda #0
.flip   tax                 ; keep the clamped y
        lda #0
        sec
        sbc BallDY
        sta BallDY          ; dy = -dy
        txa
.storeY sta BallY
        rts

; ============================================================================
; Serve: put the ball at the left wall with the next (y, dy) from the table
; ============================================================================
Serve:
        ldx ServeIdx
        lda ServeY,x
        sta BallY
        lda ServeDY,x
        sta BallDY
        lda #BALLXMIN
        sta BallX
        lda #BALLDX
        sta BallDX
        lda #2
        sta BallOn
        inx
        txa
        and #7
        sta ServeIdx
        rts

; ============================================================================
; BuildScore: turn both scores into 5 PF1 bytes each (two 3x5 digits in
; the two nibbles of PF1; a leading zero is left blank)
; ============================================================================
BuildScore:
        lda CpuScore
        ldx #0
        jsr MakeDigits
        lda PlrScore
        ldx #5
        ; fall through
MakeDigits:                 ; A = value 0..99, X = index into ScoreL
        ldy #0
.tens   cmp #10
        bcc .split
        sbc #10             ; carry is set here
        iny
        bne .tens
.split  sta Temp            ; ones
        asl
        asl
        adc Temp            ; ones*5 (carry clear after the ASLs)
        sta OnesPtr
        lda #$F0
        cpy #0
        bne .mask
        lda #0              ; no tens digit
.mask   sta TensMask
        sty Temp
        tya
        asl
        asl
        adc Temp            ; tens*5
        sta TensPtr
        lda #5
        sta Count
.row    ldy TensPtr
        lda Digits,y
        and TensMask
        sta Temp
        ldy OnesPtr
        lda Digits,y
        and #$0F
        ora Temp
        sta ScoreL,x
        inx
        inc TensPtr
        inc OnesPtr
        dec Count
        bne .row
        rts

; ============================================================================
; PosObject: A = x pixel (0..159), X = object (0 P0, 1 P1, 2 M0, 3 M1, 4 BL).
; Coarse position by a divide-by-15 loop, fine position through HMxx; the
; caller ends with WSYNC + HMOVE.
; ============================================================================
PosObject:
        sec
        sta WSYNC
.div    sbc #15             ; 5 cycles per 15 pixels
        bcs .div
        eor #7              ; remainder -> fine motion value
        asl
        asl
        asl
        asl
        sta.wx HMP0,x
        sta RESP0,x
        rts

; ============================================================================
; Tables
; ============================================================================
; new BallDY after a paddle hit, by d = BallY + 3 - PadY (0..18)
DyTable:
        .byte $FE,$FE,$FE,$FE           ; top edge of the paddle: -2
        .byte $FF,$FF,$FF,$FF,$FF,$FF   ; upper half: -1
        .byte $01,$01,$01,$01,$01       ; lower half: +1
        .byte $02,$02,$02,$02           ; bottom edge: +2

; Serves (start y, dy) from x = BALLXMIN.  The ball reaches x = HITX after
; 65 frames, at y = 25, 147, 106, 42, 14, 150, 10, 126: never within
; 69..87, where it would touch a paddle left at PADYSTART = 72.
ServeY:
        .byte 40, 100, 24, 140, 80, 32, 120, 60
ServeDY:
        .byte $FF, $01, $FE, $02, $FF, $02, $FE, $01

; 3x5 digits, each row in both nibbles (bit 7/3 = leftmost pixel)
Digits:
        .byte $EE,$AA,$AA,$AA,$EE       ; 0
        .byte $44,$CC,$44,$44,$EE       ; 1
        .byte $EE,$22,$EE,$88,$EE       ; 2
        .byte $EE,$22,$EE,$22,$EE       ; 3
        .byte $AA,$AA,$EE,$22,$22       ; 4
        .byte $EE,$88,$EE,$22,$EE       ; 5
        .byte $EE,$88,$EE,$AA,$EE       ; 6
        .byte $EE,$22,$22,$22,$22       ; 7
        .byte $EE,$AA,$EE,$AA,$EE       ; 8
        .byte $EE,$AA,$EE,$22,$EE       ; 9

; ============================================================================
; Vectors
; ============================================================================
        org $FFFA
        .word Reset         ; NMI
        .word Reset         ; RESET
        .word Reset         ; IRQ/BRK
