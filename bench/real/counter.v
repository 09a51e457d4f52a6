// A small design for bench/real.sh: Yosys synthesises it with `synth -top counter`.
// An 8-bit up/down counter with synchronous reset, load and enable, and a
// terminal-count output.
module counter (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    input  wire       up,
    input  wire       load,
    input  wire [7:0] d,
    output reg  [7:0] q,
    output wire       tc
);
    always @(posedge clk) begin
        if (rst)
            q <= 8'd0;
        else if (load)
            q <= d;
        else if (en)
            q <= up ? q + 8'd1 : q - 8'd1;
    end
    assign tc = en && (up ? (q == 8'hff) : (q == 8'h00));
endmodule
